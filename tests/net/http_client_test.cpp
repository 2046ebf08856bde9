// The HTTP client against a hostile server on loopback: however the server streams, the client's memory stays
// within max_body_bytes + 128 KiB and the request fails with errc::protocol_error instead of buffering until the
// deadline (Beast's parser holds a chunk line and the trailer whole and bounds neither).
#include "certman/net/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "certman/core/errc.hpp"
#include "support/run_coroutine.hpp"

using namespace certman;
using namespace certman::net;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t stream_cap = 32 * 1024 * 1024;  // the server gives up after this much (old clients took it all)

// Answers one request with `head`, then streams 'a' until the client hangs up or stream_cap bytes are written,
// then waits for the client to hang up. `written` counts what the kernel accepted.
asio::awaitable<void> hostile_server(tcp::acceptor& acceptor, std::string head, std::size_t& written) {
    auto s = co_await acceptor.async_accept(asio::use_awaitable);
    boost::system::error_code ec;
    std::string request;
    co_await asio::async_read_until(s, asio::dynamic_buffer(request), "\r\n\r\n", asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    co_await asio::async_write(s, asio::buffer(head), asio::redirect_error(asio::use_awaitable, ec));
    const std::string chunk(64 * 1024, 'a');
    while (!ec && written < stream_cap) {
        co_await asio::async_write(s, asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) written += chunk.size();
    }
    char byte = 0;
    co_await asio::async_read(s, asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
}

result<http_response> fetch_from_hostile(std::string head, std::size_t& written) {
    return test::run_coroutine([&]() -> asio::awaitable<result<http_response>> {
        auto ex = co_await asio::this_coro::executor;
        tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        asio::co_spawn(ex, hostile_server(acceptor, std::move(head), written), asio::detached);
        http_client_options o;
        o.max_body_bytes = 64 * 1024;
        auto client = make_http_client(ex, o);
        http_request req;
        req.url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";
        req.timeout = std::chrono::seconds(20);
        auto r = co_await client->send(std::move(req));
        acceptor.close();
        co_return r;
    });
}

// Answers one request with `answer` and closes.
asio::awaitable<void> one_answer(tcp::acceptor& acceptor, std::string answer) {
    auto s = co_await acceptor.async_accept(asio::use_awaitable);
    std::string request;
    co_await asio::async_read_until(s, asio::dynamic_buffer(request), "\r\n\r\n", asio::use_awaitable);
    co_await asio::async_write(s, asio::buffer(answer), asio::use_awaitable);
}

asio::awaitable<result<http_response>> fetch_answer(std::string answer) {
    auto ex = co_await asio::this_coro::executor;
    tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    asio::co_spawn(ex, one_answer(acceptor, std::move(answer)), asio::detached);
    http_client_options o;
    o.max_body_bytes = 64 * 1024;
    auto client = make_http_client(ex, o);
    http_request req;
    req.url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";
    req.timeout = std::chrono::seconds(20);
    co_return co_await client->send(std::move(req));
}

}  // namespace

TEST_CASE("http_client: an endless chunk extension or trailer is refused at the buffer bound, not buffered") {
    std::string head;
    SUBCASE("chunk extension") { head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;ext="; }
    SUBCASE("trailer") { head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Trailer: "; }
    SUBCASE("header field") { head = "HTTP/1.1 200 OK\r\nX-Long: "; }
    CAPTURE(head);
    std::size_t written = 0;
    auto r = fetch_from_hostile(head, written);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::protocol_error);  // before: errc::timeout after taking every byte sent
    CHECK(written < stream_cap);               // the client hung up instead of reading on
}

TEST_CASE("http_client: a chunked body of exactly max_body_bytes is read; one byte more is refused") {
    for (std::size_t extra : {std::size_t{0}, std::size_t{1}}) {
        CAPTURE(extra);
        const std::size_t n = 64 * 1024 + extra;
        char size[32];
        std::snprintf(size, sizeof size, "%zx", n);
        const std::string answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                                   std::string(size) + "\r\n" + std::string(n, 'b') + "\r\n0\r\n\r\n";
        auto r = test::run_coroutine(fetch_answer(answer));
        if (extra == 0) {
            REQUIRE(r.has_value());
            CHECK(r->body.size() == n);
        } else {
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error() == errc::protocol_error);
        }
    }
}
