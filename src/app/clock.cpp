// The system clock (clock.hpp).
#include "certman/app/clock.hpp"
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certman::app {
namespace asio = boost::asio;

namespace {
class system_clock_impl final : public clock {
public:
    std::chrono::sys_seconds now() const override {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }
    asio::awaitable<void> sleep(std::chrono::milliseconds d) override {
        asio::steady_timer timer(co_await asio::this_coro::executor, d);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
};
}  // namespace

clock& system_clock() {
    static system_clock_impl c;
    return c;
}

}  // namespace certman::app
