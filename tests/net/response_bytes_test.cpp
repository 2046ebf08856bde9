#include <doctest/doctest.h>
#include "certman/net/response_bytes.hpp"

using namespace certman::net;

TEST_CASE("append_response: byte-exact wire format") {
    struct row { const char* what; response_spec spec; unsigned version; bool keep; bool head; std::string_view wire; };
    response_spec health{200, "text/plain; charset=utf-8", "OK", {}, route_id::health};
    response_spec not_allowed{405, "text/plain; charset=utf-8", "method not allowed\n", "GET, HEAD", route_id::method_not_allowed};
    response_spec too_big{431, "text/plain; charset=utf-8", "x", {}, route_id::headers_too_large};
    response_spec empty{404, "text/plain", "", {}, route_id::not_found};
    const row rows[] = {
        {"1.1 keep-alive", health, 11, true, false,
         "HTTP/1.1 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nOK"},
        {"1.1 close", health, 11, false, false,
         "HTTP/1.1 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
         "Connection: close\r\n\r\nOK"},
        {"1.0 keep-alive", health, 10, true, false,
         "HTTP/1.0 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
         "Connection: keep-alive\r\n\r\nOK"},
        {"1.0 close (the 1.0 default needs no header)", health, 10, false, false,
         "HTTP/1.0 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nOK"},
        {"HEAD keeps the length, drops the body", health, 11, true, true,
         "HTTP/1.1 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n"},
        {"405 carries Allow", not_allowed, 11, true, false,
         "HTTP/1.1 405 Method Not Allowed\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Allow: GET, HEAD\r\nContent-Length: 19\r\n\r\nmethod not allowed\n"},
        {"431 reason", too_big, 11, false, false,
         "HTTP/1.1 431 Request Header Fields Too Large\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Length: 1\r\nConnection: close\r\n\r\nx"},
        {"empty body", empty, 11, true, false,
         "HTTP/1.1 404 Not Found\r\nServer: certman\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"},
        {"unknown version answered as 1.1", health, 20, true, false,
         "HTTP/1.1 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nOK"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        std::string out = "previous;";
        append_response(out, r.spec, r.version, r.keep, r.head);
        CHECK(out == "previous;" + std::string(r.wire));
    }
}

TEST_CASE("append_response: a large body's length is counted, not assumed") {
    response_spec big{200, "application/json", std::string(123456, 'a'), {}, route_id::status};
    std::string out;
    append_response(out, big, 11, true, false);
    CHECK(out.find("\r\nContent-Length: 123456\r\n") != std::string::npos);
    CHECK(out.size() == out.find("\r\n\r\n") + 4 + 123456);
}

TEST_CASE("reason_phrase") {
    CHECK(reason_phrase(200) == "OK");
    CHECK(reason_phrase(413) == "Content Too Large");
    CHECK(reason_phrase(503) == "Service Unavailable");
    CHECK(reason_phrase(299) == "Unknown");
}
