// net::connection (src/net/connection.hpp) on a real loopback TCP pair: plain recv()/send() until the first
// operation that would block, Beast parsing from it, promotion to an Asio socket, TCP_NODELAY only from the
// second write on, and the descriptor closed exactly once.
#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <string>
#include "net/connection.hpp"
#include "net/request_head.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using certman::net::connection;
using certman::net::would_block;

namespace {
// A client socket and the server side's non-blocking descriptor, as accept4() hands it to the server.
struct tcp_pair {
    asio::io_context ctx;
    tcp::acceptor listener{ctx, tcp::endpoint(asio::ip::address_v4::loopback(), 0)};
    tcp::socket client{ctx};
    int server_fd = -1;
    tcp_pair() {
        client.connect(listener.local_endpoint());
        server_fd = ::accept4(listener.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        REQUIRE(server_fd >= 0);
    }
    void send(const std::string& s) { asio::write(client, asio::buffer(s)); }
    std::string receive(std::size_t n) {
        std::string s(n, '\0');
        asio::read(client, asio::buffer(s));
        return s;
    }
};

int nodelay(int fd) {
    int v = -1;
    socklen_t len = sizeof v;
    REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0);
    return v;
}

bool open_fd(int fd) { return ::fcntl(fd, F_GETFD) != -1; }
}  // namespace

TEST_CASE("connection: recv/send without the reactor until an operation would block") {
    tcp_pair p;
    connection conn(p.server_fd, p.ctx.get_executor(), tcp::v4());
    char buf[64];
    boost::system::error_code ec;
    CHECK(conn.read_some(asio::buffer(buf), ec) == 0);
    CHECK(would_block(ec));
    CHECK_FALSE(conn.promoted());

    p.send("hello");
    // Loopback delivers synchronously: the bytes are queued once write() has returned.
    CHECK(conn.read_some(asio::buffer(buf), ec) == 5);
    CHECK_FALSE(ec);
    CHECK(std::string(buf, 5) == "hello");

    conn.before_write();
    CHECK(conn.write_some(asio::buffer(std::string_view("world")), ec) == 5);
    CHECK_FALSE(ec);
    CHECK(p.receive(5) == "world");
    CHECK_FALSE(conn.promoted());

    p.client.shutdown(tcp::socket::shutdown_send);
    CHECK(conn.read_some(asio::buffer(buf), ec) == 0);
    CHECK(ec == asio::error::eof);
}

TEST_CASE("connection: Beast parses a queued request, and stops with would_block on a partial one") {
    tcp_pair p;
    connection conn(p.server_fd, p.ctx.get_executor(), tcp::v4());
    boost::beast::flat_buffer buffer;
    std::string method, target;
    {
        p.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        certman::net::request_head parser(method, target);
        boost::system::error_code ec;
        boost::beast::http::read(conn, buffer, parser, ec);
        CHECK_FALSE(ec);
        CHECK(parser.is_done());
        CHECK(method == "GET");
        CHECK(target == "/health");
    }
    p.send("GET /.well-known/acme-challenge/abc HTTP/1.1\r\nHo");
    certman::net::request_head parser(method, target);
    boost::system::error_code ec;
    boost::beast::http::read(conn, buffer, parser, ec);
    CHECK(would_block(ec));
    CHECK_FALSE(parser.is_done());

    // The rest arrives later: the session promotes the connection and continues asynchronously with the same
    // parser and buffer.
    REQUIRE_FALSE(conn.promote());
    REQUIRE(conn.promoted());
    p.send("st: x\r\n\r\n");
    bool done = false;
    boost::beast::http::async_read(conn.socket(), buffer, parser, [&](boost::system::error_code e, std::size_t) {
        CHECK_FALSE(e);
        done = true;
    });
    p.ctx.run();
    CHECK(done);
    CHECK(parser.is_done());
    CHECK(target == "/.well-known/acme-challenge/abc");
}

TEST_CASE("connection: TCP_NODELAY only from the second response on") {
    tcp_pair p;
    const int fd = p.server_fd;
    connection conn(fd, p.ctx.get_executor(), tcp::v4());
    CHECK(nodelay(fd) == 0);
    conn.before_write();
    CHECK(nodelay(fd) == 0);  // the first segment is never held back by Nagle: nothing is in flight
    conn.before_write();
    CHECK(nodelay(fd) != 0);
}

TEST_CASE("connection: closes its descriptor once, before or after promotion, and a moved-from one closes nothing") {
    int fd1 = -1, fd2 = -1;
    {
        tcp_pair p;
        fd1 = p.server_fd;
        connection conn(fd1, p.ctx.get_executor(), tcp::v4());
        connection moved(std::move(conn));
        CHECK(open_fd(fd1));
    }
    CHECK_FALSE(open_fd(fd1));
    {
        tcp_pair p;
        fd2 = p.server_fd;
        connection conn(fd2, p.ctx.get_executor(), tcp::v4());
        REQUIRE_FALSE(conn.promote());
        CHECK(conn.socket().native_handle() == fd2);
        conn.close();
        CHECK_FALSE(open_fd(fd2));
        conn.close();  // idempotent
    }
}

TEST_CASE("prefer_piggybacked_acks: accepted connections start out of quick-ACK mode, others keep it") {
    auto quickack = [](int fd) {
        int v = -1;
        socklen_t len = sizeof v;
        REQUIRE(::getsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &v, &len) == 0);
        return v;
    };
    {
        tcp_pair plain;
        CHECK(quickack(plain.server_fd) == 1);
        ::close(plain.server_fd);
    }
    asio::io_context ctx;
    tcp::acceptor listener(ctx, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    REQUIRE(certman::net::prefer_piggybacked_acks(listener.native_handle()));
    tcp::socket client(ctx);
    client.connect(listener.local_endpoint());
    const int fd = ::accept4(listener.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    REQUIRE(fd >= 0);
    CHECK(quickack(fd) == 0);
    ::close(fd);
}
