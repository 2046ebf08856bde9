// run_coroutine: runs one awaitable to completion on a fresh io_context and returns its value (or rethrows
// its exception), so unit tests can call coroutine APIs as plain functions:
//     auto r = run_coroutine(storage.load("a"));
// Also run_coroutine([&]() -> awaitable<T> {...}) for a coroutine lambda: the lambda object (and so its
// captures) lives until the coroutine has finished.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace certman::test {

template <class T>
T run_coroutine(boost::asio::awaitable<T> task) {
    boost::asio::io_context ctx;
    std::exception_ptr error;
    if constexpr (std::is_void_v<T>) {
        boost::asio::co_spawn(ctx, std::move(task), [&](std::exception_ptr e) { error = e; });
        ctx.run();
        if (error) std::rethrow_exception(error);
    } else {
        std::optional<T> value;
        boost::asio::co_spawn(ctx, std::move(task), [&](std::exception_ptr e, T v) {
            error = e;
            if (!e) value.emplace(std::move(v));
        });
        ctx.run();
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }
}

// Runs a callable that returns an awaitable; the callable (and what it captures) outlives the coroutine.
template <class F>
auto run_coroutine(F&& make_task) -> decltype(run_coroutine(std::forward<F>(make_task)())) {
    return run_coroutine(std::forward<F>(make_task)());
}

}  // namespace certman::test
