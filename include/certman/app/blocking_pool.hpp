// Work that blocks a thread (RSA key generation, fsync-heavy storage writes, user and group look-ups) runs
// on a small pool of threads, one co_await away, so that the io thread keeps answering /health:
//     auto key = co_await call_blocking(pool, [type] { return crypto::generate_key(type); });
// Contract:
//  - `fn` runs on a pool thread; it must not touch objects the io thread uses meanwhile (pass copies or
//    objects only the awaiting coroutine uses; the awaiting coroutine is suspended until `fn` returns);
//  - the awaiting coroutine resumes on its own executor with fn's return value; an exception thrown by
//    `fn` is rethrown there;
//  - it is not cancellable: a cancellation arriving meanwhile takes effect at the coroutine's next
//    operation, after `fn` has returned (work already started is never abandoned half done);
//  - the pool is joined before the io_context's pending handlers are destroyed (blocking_pool::join, called
//    by run_daemon after io_context::run), so `fn` never outlives what it references.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace certman::app {

class blocking_pool {
public:
    explicit blocking_pool(std::size_t threads = 2) : pool_(threads) {}
    ~blocking_pool() { join(); }
    blocking_pool(const blocking_pool&) = delete;
    blocking_pool& operator=(const blocking_pool&) = delete;
    using executor_type = boost::asio::thread_pool::executor_type;
    executor_type executor() { return pool_.get_executor(); }
    // Waits for the work already submitted; later submissions run nowhere. Idempotent.
    void join() { pool_.join(); }

private:
    boost::asio::thread_pool pool_;
};

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> call_blocking(blocking_pool& pool, Fn fn) {
    namespace asio = boost::asio;
    using T = std::invoke_result_t<Fn&>;
    using stored = std::conditional_t<std::is_void_v<T>, bool, T>;
    std::optional<stored> out;  // both live in this suspended frame; the pool thread writes them before
    std::exception_ptr error;   // posting the resumption, which orders the writes before the reads below
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [&](auto resume) {
            asio::post(pool.executor(), [&, resume = std::move(resume)]() mutable {
                try {
                    if constexpr (std::is_void_v<T>) fn(), out.emplace(true);
                    else out.emplace(fn());
                } catch (...) {
                    error = std::current_exception();
                }
                auto home = asio::get_associated_executor(resume);
                asio::post(home, std::move(resume));
            });
        },
        asio::use_awaitable);
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>) co_return std::move(*out);
}

}  // namespace certman::app
