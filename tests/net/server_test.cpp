// net::server on loopback: the same cases against make_server (the fast path: accept4/recv/send before Asio,
// src/net/session.cpp) and make_reference_server (plain Beast, src/net/reference_session.cpp), so the fast path
// answers as Beast itself would: keep-alive, pipelining, HEAD, Connection: close, error answers and close,
// handler exceptions, the cluster fallback, the first-byte deadline and the pause at max_connections.
// The server runs on its own io_context thread; the test is a blocking client. Stats are read after stop().
#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <sys/socket.h>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include "certman/net/server.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace certman::net;

namespace {
using factory = std::unique_ptr<server> (*)(asio::any_io_executor, server_options, request_handler);

struct running_server {
    asio::io_context ctx{1};
    challenge_store store;
    std::unique_ptr<server> srv;
    std::thread thread;
    std::uint16_t port = 0;

    running_server(factory make, server_options o) {
        o.listen = endpoint{"127.0.0.1", 0};
        srv = make(ctx.get_executor(), std::move(o), [this](std::string_view method, std::string_view target) {
            if (target == "/throw") throw std::runtime_error("handler bug");
            return route_public(method, target, store);
        });
        REQUIRE(srv->start().has_value());
        port = srv->local_endpoint().port;
        thread = std::thread([this] { ctx.run(); });
    }
    // Stops the server and waits until every session has ended (ctx.run() returns).
    const http_stats& stop() {
        if (thread.joinable()) {
            asio::post(ctx, [this] { srv->stop(); });
            thread.join();
        }
        return srv->stats();
    }
    ~running_server() { stop(); }
};

struct client {
    asio::io_context ctx;
    tcp::socket socket{ctx};
    boost::beast::flat_buffer buffer;
    explicit client(std::uint16_t port) {
        socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
        timeval tv{10, 0};  // a hung server fails the test instead of hanging it
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    void send(const std::string& s) { asio::write(socket, asio::buffer(s)); }
    http::response<http::string_body> receive(bool head = false) {
        http::response_parser<http::string_body> p;
        p.skip(head);
        http::read(socket, buffer, p);
        return p.release();
    }
    // Everything until the server closes.
    std::string rest() {
        std::string all(static_cast<const char*>(buffer.data().data()), buffer.size());
        buffer.consume(buffer.size());
        boost::system::error_code ec;
        char chunk[4096];
        while (!ec) all.append(chunk, socket.read_some(asio::buffer(chunk), ec));
        return all;
    }
    // Our FIN: a server lingering after an error answer (RFC 9112 §9.6) closes as soon as it reads it.
    void done_sending() { socket.shutdown(tcp::socket::shutdown_send); }
    // True if the server closed the connection without sending anything more.
    bool closed() {
        boost::system::error_code ec;
        char c;
        std::size_t extra = buffer.size();
        while (!ec) extra += asio::read(socket, asio::buffer(&c, 1), ec);
        CAPTURE(ec.message());
        return extra == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
    }
};

const char* const GET_HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

void for_both(const std::function<void(factory)>& test) {
    SUBCASE("fast path (make_server)") { test(make_server); }
    SUBCASE("reference (make_reference_server)") { test(make_reference_server); }
}
}  // namespace

TEST_CASE("server: keep-alive, pipelining, HEAD and Connection: close") {
    for_both([](factory make) {
        running_server s(make, {});
        client c(s.port);
        c.send(std::string(GET_HEALTH) + "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" +
               "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        auto a = c.receive();
        CHECK(a.result_int() == 200);
        CHECK(a.body() == "OK");
        CHECK(a.keep_alive());
        auto b = c.receive(true);
        CHECK(b.result_int() == 200);
        CHECK(b[http::field::content_length] == "2");
        auto d = c.receive();
        CHECK(d.result_int() == 404);
        CHECK_FALSE(d.keep_alive());
        CHECK(c.closed());
        c.socket.close();
        const auto& st = s.stop();
        CHECK(st.connections_accepted == 1);
        CHECK(st.requests[static_cast<std::size_t>(route_id::health)][0] == 2);
    });
}

TEST_CASE("server: both sessions send the same bytes") {
    const std::string requests[] = {
        "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n",
        "HEAD /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\nDELETE /health HTTP/1.0\r\n\r\n",
        "POST /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",  // errors are answered as HTTP/1.1
        "GET /x HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n",
    };
    running_server fast(make_server, {}), reference(make_reference_server, {});
    for (const auto& r : requests) {
        CAPTURE(r.substr(0, 40));
        client a(fast.port), b(reference.port);
        a.send(r);
        b.send(r);
        a.done_sending();
        b.done_sending();
        const auto bytes = a.rest();
        CHECK(bytes.starts_with("HTTP/1."));
        CHECK(bytes == b.rest());
    }
}

TEST_CASE("server: HTTP/1.0 closes unless keep-alive is asked for") {
    for_both([](factory make) {
        running_server s(make, {});
        client c(s.port);
        c.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /health HTTP/1.0\r\n\r\n");
        auto a = c.receive();
        CHECK(a.version() == 10);
        CHECK(a.keep_alive());
        auto b = c.receive();
        CHECK_FALSE(b.keep_alive());
        CHECK(c.closed());
    });
}

TEST_CASE("server: malformed or oversized requests are answered once, then closed") {
    struct row { const char* name; std::string request; unsigned status; };
    const row rows[] = {
        {"header over max_header_bytes", "GET /health HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n", 431},
        {"body over max_body_bytes", "POST /health HTTP/1.1\r\nContent-Length: 20000\r\n\r\n" + std::string(20000, 'b'), 413},
        {"Transfer-Encoding with Content-Length",
         "POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + std::string(GET_HEALTH), 400},
        {"unknown transfer coding", "POST /health HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
        {"not HTTP", "HELLO\r\n\r\n", 400},
    };
    for_both([&](factory make) {
        running_server s(make, {});
        for (const auto& r : rows) {
            CAPTURE(r.name);
            client c(s.port);
            c.send(r.request);
            auto a = c.receive();
            CHECK(a.result_int() == r.status);
            CHECK_FALSE(a.keep_alive());
            c.done_sending();
            CHECK(c.closed());  // one answer only: a smuggled request behind it is never answered
        }
    });
}

TEST_CASE("server: a handler exception is a 500, and the server goes on") {
    for_both([](factory make) {
        running_server s(make, {});
        client c(s.port);
        c.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(GET_HEALTH));
        CHECK(c.receive().result_int() == 500);
        CHECK(c.receive().result_int() == 200);
    });
}

TEST_CASE("server: the cluster fallback answers a challenge token the handler does not know") {
    for_both([](factory make) {
        server_options o;
        o.challenge_fallback = [](std::string token) -> asio::awaitable<std::optional<std::string>> {
            co_return token + ".thumbprint";
        };
        running_server s(make, o);
        client c(s.port);
        c.send("GET /.well-known/acme-challenge/abc_DEF-1 HTTP/1.1\r\nHost: x\r\n\r\n"
               "POST /.well-known/acme-challenge/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        auto a = c.receive();
        CHECK(a.result_int() == 200);
        CHECK(a.body() == "abc_DEF-1.thumbprint");
        CHECK(c.receive().result_int() == 405);
    });
}

TEST_CASE("server: a silent connection is closed at header_timeout, and at max_connections the listener pauses") {
    for_both([](factory make) {
        server_options o;
        o.max_connections = 1;
        o.header_timeout = std::chrono::seconds(1);
        running_server s(make, o);
        client silent(s.port);
        client probe(s.port);  // waits in the listen queue until the silent one is closed
        probe.send(GET_HEALTH);
        CHECK(probe.receive().result_int() == 200);
        CHECK(silent.closed());
        silent.socket.close();
        probe.socket.close();
        const auto& st = s.stop();
        CHECK(st.listener_paused == 1);
        CHECK(st.connections_accepted == 2);
        CHECK(st.connections_timed_out == 1);
        CHECK(st.connections_open == 0);
    });
}
