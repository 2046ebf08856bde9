// Structured concurrency for the daemon's coroutines (one io_context, one thread): every long-lived or
// detached coroutine is spawned into a task_group, which
//  - contains it: an exception escaping the coroutine is logged (critical, with the task's name) and
//    never reaches io_context::run; a cancellation (operation_aborted) ends it quietly;
//  - can cancel it: each task gets its own cancellation_signal (Asio per-operation cancellation, see
//    https://www.boost.org/doc/libs/release/doc/html/boost_asio/overview/core/cancellation.html), and
//    emit() delivers a cancellation type to every running task. The daemon's stop emits `terminal` (the
//    type co_spawn lets through by default): the operation each task is waiting on (a timer, a signal
//    wait, an HTTP exchange, a child's exit) ends with operation_aborted, and operations started after it
//    (the task's own clean-up: recording the attempt, releasing a lease) run normally. Why not `total`
//    first, as Beast's example/advanced/server-flex-awaitable does: in Boost 1.81 a parallel_group (the
//    `||` of awaitable operators, used around children and timeouts) forwards only the first cancellation
//    it receives (experimental/impl/parallel_group.hpp), so a `total` its children filter out would
//    swallow the `terminal` sent after the grace period;
//  - knows when it is empty: wait_empty() resumes when the last task has finished, or at a deadline.
// Contract for a task: it must not outlive the objects it references, so the owner of those objects keeps
// the task_group (and the io_context's pending handlers) no longer than them: destroy or shut down the
// io_context before them (see run_daemon). A task stopped by cancellation sees operation_aborted from the
// operation it was waiting on; with throw_if_cancelled (Asio's default) the next co_await of an
// asynchronous operation throws, which unwinds the task like any exception.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <vector>

namespace certman::app {

class task_group {
public:
    explicit task_group(boost::asio::any_io_executor executor);
    ~task_group();
    task_group(const task_group&) = delete;
    task_group& operator=(const task_group&) = delete;

    // Starts `task` on the group's executor. `name` names it in logs ("renewal of www", "signals").
    void spawn(std::string name, boost::asio::awaitable<void> task);
    // Delivers `type` to every running task (tasks spawned later are not affected).
    void emit(boost::asio::cancellation_type type);
    std::size_t size() const { return tasks_.size(); }
    // Resumes when the group is empty (true) or after `within` (false, tasks still running).
    boost::asio::awaitable<bool> wait_empty(std::chrono::steady_clock::duration within);

private:
    struct task {
        std::string name;
        boost::asio::cancellation_signal signal;
        bool done = false;  // its coroutine has completed; erased by a posted finished()
    };
    void finished(std::list<task>::iterator it);

    boost::asio::any_io_executor executor_;
    std::list<task> tasks_;
    std::vector<boost::asio::steady_timer*> waiters_;  // steady_timers of wait_empty() callers, cancelled when the group empties
};

}  // namespace certman::app
