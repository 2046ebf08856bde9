// One TXT query over UDP with a timeout (contract in include/certman/net/dns_txt_lookup.hpp).
#include "certman/net/dns_txt_lookup.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <array>
#include <random>

#include "certman/core/errc.hpp"

namespace certman::net {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using asio::ip::udp;

asio::awaitable<result<dns_txt_answer>> lookup_txt(endpoint server, std::string name,
                                                   std::chrono::milliseconds timeout) {
    std::random_device rd;
    const auto id = static_cast<std::uint16_t>(rd() & 0xFFFF);
    auto query = encode_txt_query(id, name);
    if (!query) co_return query.error();
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(server.host, ec);
    if (ec) co_return failure{errc::invalid_argument, "resolver \"" + server.host + "\" is not an IP address"};
    const auto executor = co_await asio::this_coro::executor;
    udp::socket socket(executor);
    socket.open(address.is_v6() ? udp::v6() : udp::v4(), ec);
    if (!ec) socket.connect(udp::endpoint(address, server.port), ec);  // only this server's datagrams arrive
    if (!ec) socket.send(asio::buffer(*query), 0, ec);
    if (ec) co_return failure{ec, "DNS query to " + server.to_string() + ": " + ec.message()};
    asio::steady_timer timer(executor, timeout);
    std::array<char, 4096> buf{};
    for (;;) {
        std::size_t n = 0;
        auto raced = co_await (socket.async_receive(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec)) ||
                               timer.async_wait(asio::use_awaitable));
        if (raced.index() == 1)
            co_return failure{errc::timeout, "no DNS answer from " + server.to_string() + " within " +
                                                 std::to_string(timeout.count()) + " ms"};
        n = std::get<0>(raced);
        if (ec) co_return failure{ec, "DNS answer from " + server.to_string() + ": " + ec.message()};
        auto answer = decode_txt_response(std::string_view(buf.data(), n), id, name);
        if (answer) co_return answer;
        // Anything else (a late answer to an earlier query, garbage) is ignored until the timeout.
    }
}

}  // namespace certman::net
