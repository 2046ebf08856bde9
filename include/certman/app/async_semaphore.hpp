// A counting semaphore for coroutines on one io_context (one thread: no locks). acquire() suspends while no
// unit is free, without polling: each waiter parks on its own timer and release() wakes the first one.
// Waiting is cancellable: when the awaiting coroutine is cancelled (task_group::emit), acquire() returns an
// empty permit instead of a unit. A permit gives its unit back when destroyed.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

namespace certman::app {

class async_semaphore {
public:
    class permit {
    public:
        permit() = default;
        explicit permit(async_semaphore* s) : s_(s) {}
        permit(permit&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
        permit& operator=(permit&&) = delete;
        ~permit() { if (s_) s_->release(); }
        explicit operator bool() const { return s_ != nullptr; }
    private:
        async_semaphore* s_ = nullptr;
    };

    async_semaphore(boost::asio::any_io_executor ex, int units) : ex_(std::move(ex)), free_(units) {}
    // Changes the number of units (a reload); permits held stay valid, waiters are woken if units appeared.
    void resize(int units) {
        free_ += units - units_;
        units_ = units;
        wake_first();
    }
    // A unit, or an empty permit when the caller was cancelled while waiting.
    boost::asio::awaitable<permit> acquire() {
        while (free_ <= 0) {
            boost::asio::steady_timer t(ex_, boost::asio::steady_timer::time_point::max());
            waiters_.push_back(&t);
            boost::system::error_code ec;
            co_await t.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            std::erase(waiters_, &t);
            auto cs = co_await boost::asio::this_coro::cancellation_state;
            if (cs.cancelled() != boost::asio::cancellation_type::none) {
                wake_first();  // we may have been woken for a unit we do not take
                co_return permit{};
            }
        }
        --free_;
        co_return permit{this};
    }

private:
    void release() {
        ++free_;
        wake_first();
    }
    void wake_first() {
        if (free_ > 0 && !waiters_.empty()) waiters_.front()->cancel();
    }
    boost::asio::any_io_executor ex_;
    int free_;
    int units_ = free_;
    std::deque<boost::asio::steady_timer*> waiters_;
};

}  // namespace certman::app
