// What a command's coroutines run on, owned in an order that makes use-after-free impossible by
// construction: the blocking pool, the io_context (one thread), and a hard-stop deadline.
//     event_loop loop;                                  // declared first: destroyed last
//     runtime rt(loop.executor(), loop.pool(), ...);    // what the coroutines reference
//     loop.run();
// run() returns when the io_context has no more work (every task ended) or was stopped by the hard-stop
// deadline. Before returning it joins the blocking pool (no work item still references a coroutine's
// objects) and destroys the io_context's pending handlers, i.e. the frames of coroutines still suspended,
// while the objects declared after the loop are alive. Those objects (sockets, timers) may then be
// destroyed: the io_context's services exist until the loop itself is destroyed.
#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include "certman/app/blocking_pool.hpp"

namespace certman::app {

class event_loop {
public:
    event_loop();
    ~event_loop();
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;

    boost::asio::any_io_executor executor();
    boost::asio::io_context& io() { return io_; }
    blocking_pool& pool() { return pool_; }
    // From now, the io_context is stopped after `after` if run() has not returned by then (a task ignoring
    // cancellation, a connection that never finishes). Thread-based, so it is not work that keeps run() going.
    // The first call counts.
    void arm_hard_stop(std::chrono::steady_clock::duration after);
    void run();

private:
    struct context : boost::asio::io_context {
        context() : boost::asio::io_context(1) {}
        void destroy_pending_handlers() { shutdown(); }  // execution_context::shutdown, idempotent
    };
    void disarm();

    blocking_pool pool_;
    context io_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread hard_stop_;
};

}  // namespace certman::app
