#include "lingering_close.hpp"
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certman::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<void> lingering_close(connection& conn, live_session& self, boost::beast::flat_buffer& buffer) {
    static char sink[16384];
    buffer.clear();
    buffer.shrink_to_fit();
    if (!promote(conn, self)) co_return;
    boost::system::error_code ec;
    conn.socket().shutdown(tcp::socket::shutdown_send, ec);
    self.arm(std::chrono::seconds(1));
    std::size_t discarded = 0;
    while (!ec && !self.timed_out && discarded < (1u << 20)) {
        discarded += co_await conn.socket().async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    }
}

}  // namespace certman::net
