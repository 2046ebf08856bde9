// lookup_txt against a small DNS server on loopback (UDP and TCP on one port) that answers as told: whole, with
// TC set over UDP (then the TCP answer counts), or misbehaving over TCP (refused, cut short, silent).
#include "certman/net/dns_txt_lookup.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "../support/run_coroutine.hpp"

using namespace certman;
namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

enum class tcp_mode { answer, refuse, cut_short, silent };

// The answer to `query` (id and question copied): `values` as TXT records, TC set when `truncated`.
std::string answer_to(const std::string& query, const std::vector<std::string>& values, bool truncated) {
    std::string out = query.substr(0, 2);
    out += truncated ? "\x83\x80" : "\x81\x80";  // QR, RD, RA (+ TC)
    out += std::string("\x00\x01", 2);
    out.push_back(static_cast<char>(truncated ? 0 : values.size() >> 8));
    out.push_back(static_cast<char>(truncated ? 0 : values.size() & 0xFF));
    out += std::string(4, '\0');
    out += query.substr(12);  // the question
    if (truncated) return out;
    for (const auto& v : values) {
        out += std::string("\xC0\x0C\x00\x10\x00\x01\x00\x00\x00\x3C", 10);  // name -> question, TXT IN, TTL 60
        out.push_back(static_cast<char>((v.size() + 1) >> 8));
        out.push_back(static_cast<char>((v.size() + 1) & 0xFF));
        out.push_back(static_cast<char>(v.size()));
        out += v;
    }
    return out;
}

struct fake_dns {
    std::vector<std::string> values;
    bool truncate_udp = false;
    tcp_mode tcp = tcp_mode::answer;
    int tcp_queries = 0;

    asio::awaitable<void> serve_udp(udp::socket& s) {
        std::array<char, 512> buf{};
        udp::endpoint from;
        const auto n = co_await s.async_receive_from(asio::buffer(buf), from, asio::use_awaitable);
        const auto a = answer_to(std::string(buf.data(), n), values, truncate_udp);
        co_await s.async_send_to(asio::buffer(a), from, asio::use_awaitable);
    }

    asio::awaitable<void> serve_tcp(tcp::acceptor& acceptor) {
        auto s = co_await acceptor.async_accept(asio::use_awaitable);
        ++tcp_queries;
        std::array<unsigned char, 2> len{};
        co_await asio::async_read(s, asio::buffer(len), asio::use_awaitable);
        std::string query(static_cast<std::size_t>(len[0]) << 8 | len[1], '\0');
        co_await asio::async_read(s, asio::buffer(query), asio::use_awaitable);
        const auto a = answer_to(query, values, false);
        std::string framed{static_cast<char>(a.size() >> 8), static_cast<char>(a.size() & 0xFF)};
        framed += a;
        if (tcp == tcp_mode::cut_short) framed.resize(framed.size() / 2);
        if (tcp == tcp_mode::silent) {  // says nothing until the client hangs up
            char byte = 0;
            boost::system::error_code ec;
            co_await asio::async_read(s, asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
            co_return;
        }
        co_await asio::async_write(s, asio::buffer(framed), asio::use_awaitable);
    }
};

// Runs the server and one lookup on one io_context; returns the lookup's result.
result<net::dns_txt_answer> ask(fake_dns& dns, std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    return test::run_coroutine([&]() -> asio::awaitable<result<net::dns_txt_answer>> {
        auto ex = co_await asio::this_coro::executor;
        udp::socket u(ex, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        const auto port = u.local_endpoint().port();
        tcp::acceptor a(ex);
        if (dns.tcp != tcp_mode::refuse) {
            a.open(tcp::v4());
            a.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
            a.listen();
            asio::co_spawn(ex, dns.serve_tcp(a), asio::detached);
        }
        asio::co_spawn(ex, dns.serve_udp(u), asio::detached);
        // A named endpoint: GCC 12 mis-copies a brace-initialized temporary passed by value into a coroutine
        // from a co_await expression (ASan: bad-free in ~endpoint); the daemon's callers pass named values.
        net::endpoint server;
        server.host = "127.0.0.1";
        server.port = port;
        std::string name = "_acme-challenge.example.org";
        auto r = co_await net::lookup_txt(server, name, timeout);
        boost::system::error_code ec;
        u.close(ec);
        a.close(ec);
        co_return r;
    });
}

std::vector<std::string> many_values(std::size_t n) {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(std::string(42, static_cast<char>('a' + i % 26)) + std::to_string(i % 10));
    return v;
}

}  // namespace

TEST_CASE("lookup_txt: a whole UDP answer, no TCP") {
    fake_dns dns{.values = {"one", "two"}};
    auto r = ask(dns);
    REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message()));
    CHECK(r->values == std::vector<std::string>{"one", "two"});
    CHECK_FALSE(r->truncated);
    CHECK(dns.tcp_queries == 0);
}

TEST_CASE("lookup_txt: a truncated UDP answer is asked again over TCP (20 values, over 512 bytes)") {
    fake_dns dns{.values = many_values(20), .truncate_udp = true};
    auto r = ask(dns);
    REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message()));
    CHECK(r->values == many_values(20));
    CHECK_FALSE(r->truncated);
    CHECK(dns.tcp_queries == 1);
}

TEST_CASE("lookup_txt: the TCP retry refused, cut short or silent is an error within the timeout") {
    SUBCASE("refused") {
        fake_dns dns{.values = {"x"}, .truncate_udp = true, .tcp = tcp_mode::refuse};
        auto r = ask(dns);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message().find("the UDP answer was truncated): connect") != std::string::npos);
    }
    SUBCASE("cut short") {
        fake_dns dns{.values = many_values(20), .truncate_udp = true, .tcp = tcp_mode::cut_short};
        auto r = ask(dns);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message().find("read the answer") != std::string::npos);
    }
    SUBCASE("silent") {
        fake_dns dns{.values = {"x"}, .truncate_udp = true, .tcp = tcp_mode::silent};
        const auto t0 = std::chrono::steady_clock::now();
        auto r = ask(dns, std::chrono::milliseconds(300));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == errc::timeout);
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));  // the deadline ended it, not the server
    }
}
