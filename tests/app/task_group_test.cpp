// task_group, async_semaphore, call_blocking and event_loop (include/certman/app/*.hpp): cancellation reaches a
// waiting task, exceptions are contained, the semaphore bounds and is cancellable, blocking work returns its
// value on the io thread, and a loop stopped with suspended tasks destroys their frames before what they use.
#include <doctest/doctest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include "certman/app/async_semaphore.hpp"
#include "certman/app/blocking_pool.hpp"
#include "certman/app/event_loop.hpp"
#include "certman/app/task_group.hpp"

namespace asio = boost::asio;
using namespace certman::app;

namespace {
asio::awaitable<void> sleep_hours(int& woke) {
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(1));
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) ++woke;
}
}  // namespace

TEST_CASE("task_group: terminal cancellation ends waiting tasks; exceptions are contained") {
    asio::io_context io;
    task_group tasks(io.get_executor());
    int woke = 0;
    tasks.spawn("a", sleep_hours(woke));
    tasks.spawn("b", sleep_hours(woke));
    tasks.spawn("throws", []() -> asio::awaitable<void> { throw std::runtime_error("boom"); co_return; }());
    bool empty = false;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        tasks.emit(asio::cancellation_type::terminal);
        empty = co_await tasks.wait_empty(std::chrono::seconds(5));
    }, asio::detached);
    const auto t0 = std::chrono::steady_clock::now();
    io.run();  // returns: nothing left
    CHECK(empty);
    CHECK(woke == 2);
    CHECK(tasks.size() == 0);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("async_semaphore: at most N holders; a cancelled waiter gets no permit") {
    asio::io_context io;
    async_semaphore sem(io.get_executor(), 1);
    task_group tasks(io.get_executor());
    int inside = 0, most = 0, got = 0, refused = 0;
    for (int i = 0; i < 3; ++i)
        // State by parameter, not by capture: the lambda object is gone once spawn() returns, its coroutine not.
        tasks.spawn("holder", [](async_semaphore& sem, int& inside, int& most, int& got, int& refused)
                                  -> asio::awaitable<void> {
            auto p = co_await sem.acquire();
            if (!p) { ++refused; co_return; }
            ++got;
            most = std::max(most, ++inside);
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
            co_await t.async_wait(asio::use_awaitable);
            --inside;
        }(sem, inside, most, got, refused));
    io.run();
    CHECK(most == 1);
    CHECK(got == 3);
    CHECK(refused == 0);

    io.restart();
    std::optional<async_semaphore::permit> held;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { held.emplace(co_await sem.acquire()); }, asio::detached);
    io.run();
    REQUIRE(held.has_value());
    REQUIRE(static_cast<bool>(*held));
    io.restart();
    tasks.spawn("waiter", [](async_semaphore& sem, int& refused) -> asio::awaitable<void> {
        auto p = co_await sem.acquire();
        if (!p) ++refused;
    }(sem, refused));
    io.poll();
    tasks.emit(asio::cancellation_type::terminal);
    io.run();
    CHECK(refused == 1);
}

TEST_CASE("call_blocking: the value comes back on the io thread; exceptions too") {
    asio::io_context io;
    blocking_pool pool(2);
    const auto io_thread = std::this_thread::get_id();
    std::thread::id ran_on, resumed_on;
    int value = 0;
    bool caught = false;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        value = co_await call_blocking(pool, [&] { ran_on = std::this_thread::get_id(); return 42; });
        resumed_on = std::this_thread::get_id();
        try {
            co_await call_blocking(pool, []() -> int { throw std::runtime_error("x"); });
        } catch (const std::runtime_error&) {
            caught = true;
        }
    }, asio::detached);
    io.run();
    CHECK(value == 42);
    CHECK(ran_on != io_thread);
    CHECK(resumed_on == io_thread);
    CHECK(caught);
}

TEST_CASE("event_loop: a hard stop destroys suspended frames while what they reference is alive") {
    struct guarded {
        bool alive = true;
        int destroyed_while_alive = 0;
    };
    auto state = std::make_unique<guarded>();
    {
        event_loop loop;
        task_group tasks(loop.executor());
        tasks.spawn("forever", [](guarded& g) -> asio::awaitable<void> {
            struct on_destroy { guarded& g; ~on_destroy() { if (g.alive) ++g.destroyed_while_alive; } } d{g};
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(1));
            co_await t.async_wait(asio::use_awaitable);
        }(*state));
        loop.arm_hard_stop(std::chrono::milliseconds(50));  // the task ignores no cancellation: it gets none
        loop.run();
        CHECK(state->destroyed_while_alive == 1);
    }
}
