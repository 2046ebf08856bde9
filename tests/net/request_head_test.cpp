// net::request_head (src/net/request_head.hpp): the framing rules it adds to Beast's parser so that a front end
// and certman never disagree on where a request ends (RFC 9112 §6.1, §6.3), and the bound a capped buffer puts
// on what Beast holds whole (a chunk line with its extensions, a trailer).
#include <doctest/doctest.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <string>
#include "net/connection.hpp"
#include "net/request_head.hpp"

namespace http = boost::beast::http;
using certman::net::request_head;

namespace {
struct parsed {
    boost::system::error_code ec;
    bool done = false;
    std::size_t consumed = 0;  // bytes of the input that belong to the first request
};

// Feeds a whole input to a fresh parser, as the server's read loop does (eager: the body too).
parsed parse(const std::string& input) {
    std::string method, target;
    request_head p(method, target);
    p.eager(true);
    parsed r;
    while (!p.is_done() && r.consumed < input.size()) {
        const auto n = p.put(boost::asio::buffer(input.data() + r.consumed, input.size() - r.consumed), r.ec);
        r.consumed += n;
        if (r.ec == http::error::need_more) { r.ec = {}; break; }
        if (r.ec || n == 0) break;
    }
    r.done = p.is_done();
    return r;
}

const std::string next_request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
}  // namespace

TEST_CASE("request_head: ambiguous framing is an error, never a second request") {
    struct row {
        std::string name;
        std::string head;  // the request's header block, without the final CRLF
        bool not_implemented;
    };
    const row rows[] = {
        {"TE gzip", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n", false},
        {"TE identity", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n", false},
        {"TE empty", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n", false},
        {"TE chunked, gzip", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n", false},
        {"TE chunked twice", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n", false},
        {"TE chunked then gzip", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", false},
        {"TE gzip + CL", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nContent-Length: 34\r\n", false},
        {"CL + TE gzip", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 34\r\nTransfer-Encoding: gzip\r\n", false},
        {"TE chunked + CL", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 34\r\n", false},
        {"CL + TE chunked", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 34\r\nTransfer-Encoding: chunked\r\n", false},
        {"TE in HTTP/1.0", "POST /health HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n", false},
        {"CL differ", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 34\r\nContent-Length: 35\r\n", false},
        {"CL list differs", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 34, 35\r\n", false},
        {"TE gzip, chunked", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n", true},
        {"TE gzip then chunked", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", true},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        const auto got = parse(r.head + "\r\n" + next_request);
        CHECK(got.ec);  // the server answers the error and closes, whatever state Beast's parser is in
        if (r.not_implemented) CHECK(got.ec == certman::net::framing_not_implemented());
        else CHECK(got.ec != certman::net::framing_not_implemented());
    }
}

TEST_CASE("request_head: well-framed requests end where their framing says") {
    struct row {
        std::string name;
        std::string request;
    };
    const row rows[] = {
        {"no body", "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"},
        {"Content-Length", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"},
        {"same Content-Length twice", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"},
        {"chunked", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
        {"Chunked, OWS, empty elements", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , Chunked \r\n\r\n0\r\n\r\n"},
        {"extension and trailer", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"},
        {"HTTP/1.0 with Content-Length", "POST /health HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        const auto got = parse(r.request + next_request);
        CHECK_FALSE(got.ec);
        CHECK(got.done);
        CHECK(got.consumed == r.request.size());
    }
}

TEST_CASE("request_head: a capped buffer bounds an endless chunk extension or trailer") {
    using tcp = boost::asio::ip::tcp;
    const std::size_t cap = 1024 + 1024;  // max_header_bytes + max_body_bytes, at their smallest
    const std::string head = "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const std::string start : {"1;", "1;a=b\r\nx\r\n2;", "0\r\nX-T: "}) {
        CAPTURE(start);
        boost::asio::io_context ctx;
        tcp::acceptor listener(ctx, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
        tcp::socket client(ctx);
        client.connect(listener.local_endpoint());
        const int fd = ::accept4(listener.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        REQUIRE(fd >= 0);
        certman::net::connection conn(fd, ctx.get_executor(), tcp::v4());
        std::string method, target;
        request_head parser(method, target);
        parser.header_limit(1024);
        parser.body_limit(1024);
        boost::beast::flat_buffer buffer(cap);
        boost::asio::write(client, boost::asio::buffer(head + start + std::string(16384, 'a')));
        boost::system::error_code ec;
        http::read(conn, buffer, parser, ec);
        CHECK(ec == http::error::buffer_overflow);  // not would_block: the server answers 400 instead of waiting
        CHECK(buffer.size() <= cap);
        CHECK(buffer.capacity() <= cap);
    }
}
