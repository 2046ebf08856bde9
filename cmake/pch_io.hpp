// Precompiled for certman_io, the binaries and their unit tests when CERTMAN_PCH=ON (clean builds: CI):
// the Boost.Asio/JSON and spdlog headers that most adapter files include (~25% of their compile time).
#include "pch_pure.hpp"
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
