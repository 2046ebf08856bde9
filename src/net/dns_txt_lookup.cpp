// One TXT query over UDP, and over TCP when the UDP answer is truncated, within one deadline (contract in
// include/certman/net/dns_txt_lookup.hpp).
#include "certman/net/dns_txt_lookup.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <random>

#include "certman/core/errc.hpp"

namespace certman::net {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

struct exchange {
    asio::ip::address address;
    endpoint server;
    std::string name;
    std::uint16_t id = 0;
    std::string query;
};

// Datagrams from the server until one decodes as the answer to our query (a late answer to an earlier query
// or garbage is ignored). Runs until it has the answer or fails; the caller races it against the deadline.
asio::awaitable<result<dns_txt_answer>> over_udp(const exchange& x) {
    boost::system::error_code ec;
    udp::socket socket(co_await asio::this_coro::executor);
    socket.open(x.address.is_v6() ? udp::v6() : udp::v4(), ec);
    if (!ec) socket.connect(udp::endpoint(x.address, x.server.port), ec);  // only this server's datagrams arrive
    if (!ec) socket.send(asio::buffer(x.query), 0, ec);
    if (ec) co_return failure{ec, "DNS query to " + x.server.to_string() + ": " + ec.message()};
    std::array<char, 4096> buf{};
    for (;;) {
        const auto n = co_await socket.async_receive(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return failure{ec, "DNS answer from " + x.server.to_string() + ": " + ec.message()};
        auto answer = decode_txt_response(std::string_view(buf.data(), n), x.id, x.name);
        if (answer) co_return answer;
    }
}

// RFC 1035 §4.2.2, RFC 7766 §8: the same query over TCP, each message behind a two-byte length.
asio::awaitable<result<dns_txt_answer>> over_tcp(const exchange& x) {
    boost::system::error_code ec;
    tcp::socket socket(co_await asio::this_coro::executor);
    const auto fail = [&](std::string_view step) {
        return failure{ec, "DNS over TCP to " + x.server.to_string() + " (the UDP answer was truncated): " +
                               std::string(step) + ": " + ec.message()};
    };
    co_await socket.async_connect(tcp::endpoint(x.address, x.server.port), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("connect");
    std::string framed;
    framed.push_back(static_cast<char>(x.query.size() >> 8));
    framed.push_back(static_cast<char>(x.query.size() & 0xFF));
    framed += x.query;
    co_await asio::async_write(socket, asio::buffer(framed), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("send");
    std::array<unsigned char, 2> length{};
    co_await asio::async_read(socket, asio::buffer(length), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("read the answer's length");
    std::string message(static_cast<std::size_t>(length[0]) << 8 | length[1], '\0');  // at most 65535 bytes
    co_await asio::async_read(socket, asio::buffer(message), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("read the answer");
    co_return decode_txt_response(message, x.id, x.name);
}

failure timed_out(const exchange& x, std::chrono::milliseconds timeout) {
    return failure{errc::timeout,
                   "no DNS answer from " + x.server.to_string() + " within " + std::to_string(timeout.count()) + " ms"};
}

}  // namespace

asio::awaitable<result<dns_txt_answer>> lookup_txt(endpoint server, std::string name,
                                                   std::chrono::milliseconds timeout) {
    std::random_device rd;
    exchange x;  // filled member by member: GCC 12 mis-copies brace-initialized aggregates in coroutines
    x.server = std::move(server);
    x.name = std::move(name);
    x.id = static_cast<std::uint16_t>(rd() & 0xFFFF);
    auto query = encode_txt_query(x.id, x.name);
    if (!query) co_return query.error();
    x.query = std::move(*query);
    boost::system::error_code ec;
    x.address = asio::ip::make_address(x.server.host, ec);
    if (ec) co_return failure{errc::invalid_argument, "resolver \"" + x.server.host + "\" is not an IP address"};
    asio::steady_timer deadline(co_await asio::this_coro::executor, timeout);  // one deadline for both steps
    auto udp_raced = co_await (over_udp(x) || deadline.async_wait(asio::use_awaitable));
    if (udp_raced.index() == 1) co_return timed_out(x, timeout);
    auto answer = std::get<0>(std::move(udp_raced));
    if (!answer || !answer->truncated) co_return answer;
    auto tcp_raced = co_await (over_tcp(x) || deadline.async_wait(asio::use_awaitable));
    if (tcp_raced.index() == 1) co_return timed_out(x, timeout);
    co_return std::get<0>(std::move(tcp_raced));
}

}  // namespace certman::net
