// Spawning contained, cancellable coroutines (contract in include/certman/app/task_group.hpp).
#include "certman/app/task_group.hpp"
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/spdlog.h>

namespace certman::app {
namespace asio = boost::asio;

task_group::task_group(asio::any_io_executor executor) : executor_(std::move(executor)) {}

task_group::~task_group() = default;

void task_group::spawn(std::string name, asio::awaitable<void> task) {
    auto it = tasks_.emplace(tasks_.end());
    it->name = std::move(name);
    asio::co_spawn(executor_, std::move(task),
        asio::bind_cancellation_slot(it->signal.slot(), [this, it](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const boost::system::system_error& x) {
                    if (x.code() == asio::error::operation_aborted) spdlog::debug("{}: cancelled", it->name);
                    else spdlog::critical("{} failed: {}", it->name, x.what());
                } catch (const std::exception& x) {
                    spdlog::critical("{} failed: {}", it->name, x.what());
                }
            }
            // The handler runs inside the coroutine's last step (co_spawn's entry point is still alive and
            // attached to it->signal's slot): forget the task only once that step is over.
            it->done = true;
            asio::post(executor_, [this, it] { finished(it); });
        }));
}

void task_group::finished(std::list<task>::iterator it) {
    tasks_.erase(it);
    if (tasks_.empty())
        for (auto* w : waiters_) w->cancel();
}

void task_group::emit(asio::cancellation_type type) {
    // Safe to iterate: Asio never completes an operation inside its cancellation handler (the completion
    // is posted), so no task finishes, and no element is erased, during this loop.
    for (auto& t : tasks_)
        if (!t.done) t.signal.emit(type);
}

asio::awaitable<bool> task_group::wait_empty(std::chrono::steady_clock::duration within) {
    if (tasks_.empty()) co_return true;
    asio::steady_timer timer(executor_, within);
    waiters_.push_back(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(waiters_, &timer);
    co_return tasks_.empty();
}

}  // namespace certman::app
