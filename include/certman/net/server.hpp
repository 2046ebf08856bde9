// The HTTP/1.x server (Boost.Beast, C++20 coroutines) used for both listeners: the public one that faces the
// load balancer (route_public) and the loopback admin one (metrics, status). One run_session coroutine per
// connection: read / handle / write, with
//  - a header deadline: a new connection's first byte, and then each request's headers and body, must arrive
//    within header_timeout (nginx's client_header_timeout, HAProxy's timeout http-request), so a connection that
//    never sends anything holds its slot for header_timeout, not idle_timeout,
//  - an idle deadline between keep-alive requests (idle_timeout: nginx's keepalive_timeout, HAProxy's timeout
//    http-keep-alive), so idle and slow clients are dropped and never delay others,
//  - bounded memory: a connection's buffer never exceeds max_header_bytes + max_body_bytes. Header fields and body
//    bytes are discarded as they are parsed (certman needs no request body: a body is read only to find where the
//    next request starts, and only up to max_body_bytes); what Beast must hold whole — the header, one chunk line
//    with its extensions, the trailer — fits that buffer or the request is answered 400, as HAProxy answers a
//    chunk line longer than its buffer (nginx skips extensions in its state machine, also in bounded memory),
//  - 431 for oversized headers, 413 for an oversized body, 400 for malformed requests and ambiguous framing
//    (Transfer-Encoding with Content-Length, in HTTP/1.0, or not ending in chunked; conflicting Content-Length;
//    RFC 9112 §6.1, §6.3), 501 for a transfer coding other than chunked (see request_head.hpp); then close,
//  - a connection cap: at max_connections the listener stops accepting (new connections wait in the kernel's
//    listen queue, as with HAProxy's maxconn and nginx's worker_connections) and closes up to 32 idle keep-alive
//    connections to make room (as nginx does); it accepts again as soon as a connection ends,
//  - keep-alive and pipelining (HTTP/1.0 and 1.1),
//  - stop(): stop accepting, let responses being written finish, close idle connections.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include "certman/core/result.hpp"
#include "certman/net/endpoint.hpp"
#include "certman/net/http_stats.hpp"
#include "certman/net/router.hpp"

namespace certman::net {

struct server_options {
    endpoint listen;
    std::size_t max_connections = 10000;
    std::chrono::seconds header_timeout{10};  // first byte of a connection; head and body of each request
    std::chrono::seconds idle_timeout{60};    // between the requests of a keep-alive connection
    std::size_t max_header_bytes = 8192;
    std::size_t max_body_bytes = 16384;
    std::string name = "server";  // for logs: "public", "admin"
    // Cluster mode: asked for a well-formed challenge token the handler did not know (404); may return the key
    // authorization from shared storage. Must not throw; should answer fast (a negative cache is the caller's).
    std::function<boost::asio::awaitable<std::optional<std::string>>(std::string token)> challenge_fallback;
};

// Produces the response for a request; must not throw (exceptions become 500 and are logged).
using request_handler = std::function<response_spec(std::string_view method, std::string_view target)>;

class server {
public:
    virtual ~server() = default;
    // Binds and starts accepting. Errors: the bind/listen error (address in use, permission denied).
    virtual result<void> start() = 0;
    // Stops accepting, closes idle connections; in-flight responses finish. Idempotent.
    virtual void stop() = 0;
    virtual const http_stats& stats() const = 0;
    virtual endpoint local_endpoint() const = 0;
    virtual std::size_t open_connections() const = 0;
};

// The server certman runs: its sessions serve a connection with plain recv()/send() until a step would block
// (src/net/connection.hpp, src/net/session.hpp).
std::unique_ptr<server> make_server(boost::asio::any_io_executor executor, server_options options,
                                    request_handler handler);

// The reference behaviour: the same listener, cap and contract, with plain Beast sessions (beast::tcp_stream,
// http::async_read / async_write; src/net/reference_session.cpp). Tests run the same cases against both
// (tests/net/server_test.cpp); it is not used by the daemon.
std::unique_ptr<server> make_reference_server(boost::asio::any_io_executor executor, server_options options,
                                              request_handler handler);

}  // namespace certman::net
