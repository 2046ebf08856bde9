// Work that blocks a thread (RSA key generation, fsync-heavy storage writes, user and group look-ups) runs
// on a small pool of threads, one co_await away, so that the io thread keeps answering /health:
//     auto key = co_await call_blocking(pool, [type] { return crypto::generate_key(type); });
// Header-only and the one core header that uses Asio: it sits here so that the adapters (storage/, deploy/)
// can take the pool without including app/ (docs/architecture.md); only io code includes it.
//
// Contract of call_blocking(pool, fn) and serial_jobs::call(fn) (name `fn` before the co_await: GCC 12 destroys
// a temporary lambda's captures twice when it is created inside a co_await expression):
//  - `fn` is moved into the job and owned by it: it runs on a pool thread and must touch nothing the io
//    thread uses or may destroy meanwhile (capture copies, or shared_ptr to immutable state);
//  - its return value (or exception) is handed back by value: the awaiting coroutine resumes on its own
//    executor with the value, or the exception rethrown; the job writes nothing into the coroutine's frame;
//  - it is not cancellable: a cancellation arriving meanwhile takes effect at the coroutine's next
//    operation, after `fn` has returned (an fsync already started is never abandoned half done);
//  - the pool is joined before the io_context is destroyed (event_loop.hpp does it), so a finished job
//    always posts its resumption to a live io_context.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace certman {

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

namespace detail {

template <class Fn>
using blocking_value = std::conditional_t<std::is_void_v<std::invoke_result_t<Fn&>>, bool, std::invoke_result_t<Fn&>>;

// Suspends the calling coroutine and hands `submit` one job (a move-only callable without arguments); the job
// runs fn, then posts the resumption with fn's outcome to the coroutine's executor.
template <class Fn, class Submit>
boost::asio::awaitable<std::invoke_result_t<Fn&>> await_job(Fn fn, Submit submit) {
    namespace asio = boost::asio;
    using T = std::invoke_result_t<Fn&>;
    using value = blocking_value<Fn>;
    auto out = co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                             void(std::exception_ptr, std::optional<value>)>(
        [&submit](auto resume, Fn job_fn) {
            submit([resume = std::move(resume), job_fn = std::move(job_fn)]() mutable {
                std::optional<value> v;
                std::exception_ptr error;
                try {
                    if constexpr (std::is_void_v<T>) job_fn(), v.emplace(true);
                    else v.emplace(job_fn());
                } catch (...) {
                    error = std::current_exception();
                }
                auto home = asio::get_associated_executor(resume);
                asio::post(home, asio::append(std::move(resume), error, std::move(v)));
            });
        },
        asio::use_awaitable, std::move(fn));
    if constexpr (std::is_void_v<T>) (void)out;
    else co_return std::move(*out);
}

// A move-only job behind a copyable std::function (the queue below stores std::function).
template <class Job>
std::function<void()> copyable(Job job) {
    auto owned = std::make_shared<Job>(std::move(job));
    return [owned] { (*owned)(); };
}

}  // namespace detail

template <class Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> call_blocking(blocking_pool& pool, Fn fn) {
    auto to_pool = [ex = pool.executor()](auto job) { boost::asio::post(ex, std::move(job)); };
    return detail::await_job(std::move(fn), to_pool);
}

// Jobs that must not overlap and must run in the order they were submitted (the operations of one
// dir_storage: two writes of one key land in call order, as they did when they ran inline). Unlike
// asio::strand, it may outlive the pool's execution context: its queue is shared by the jobs draining it.
// With no pool (default-constructed, or built on nullptr), call(fn) calls fn inline, on the caller's thread.
class serial_jobs {
public:
    serial_jobs() = default;
    explicit serial_jobs(blocking_pool* pool) {
        if (pool) executor_ = pool->executor(), queue_ = std::make_shared<queue>();
    }
    bool inline_only() const { return !queue_; }

    template <class Fn>
    boost::asio::awaitable<std::invoke_result_t<Fn&>> call(Fn fn) {
        if (!queue_) co_return fn();
        auto to_queue = [this](auto job) { submit(std::move(job)); };
        co_return co_await detail::await_job(std::move(fn), to_queue);
    }

    // Fire and forget (nothing awaits it), still in order with the others.
    template <class Fn>
    void post(Fn fn) {
        if (queue_) submit(std::move(fn));
        else fn();
    }

private:
    struct queue {
        std::mutex mutex;
        std::deque<std::function<void()>> jobs;
        bool draining = false;
    };

    template <class Job>
    void submit(Job job) {
        {
            std::lock_guard lock(queue_->mutex);
            queue_->jobs.push_back(detail::copyable(std::move(job)));
            if (queue_->draining) return;
            queue_->draining = true;
        }
        boost::asio::post(*executor_, [q = queue_] { drain(*q); });
    }

    static void drain(queue& q) {
        while (true) {
            std::function<void()> job;
            {
                std::lock_guard lock(q.mutex);
                if (q.jobs.empty()) {
                    q.draining = false;
                    return;
                }
                job = std::move(q.jobs.front());
                q.jobs.pop_front();
            }
            try {
                job();
            } catch (...) {  // a fire-and-forget job's failure must not stop the ones queued after it
            }
        }
    }

    std::optional<blocking_pool::executor_type> executor_;
    std::shared_ptr<queue> queue_;
};

}  // namespace certman
