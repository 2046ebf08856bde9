// The HTTP/1.x server (Boost.Beast, C++20 coroutines) used for both listeners: the public one that faces the
// load balancer (route_public) and the loopback admin one (metrics, status). One run_session coroutine per
// connection: read / handle / write, with
//  - a header deadline (a request's headers must arrive within header_timeout once its first byte has),
//  - an idle deadline between keep-alive requests, so idle and slow clients are dropped and never delay others,
//  - 431 for oversized headers, 413 for an oversized body, 400 for malformed requests (then close),
//  - a connection cap (sockets over it are closed at once),
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
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds idle_timeout{60};
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

std::unique_ptr<server> make_server(boost::asio::any_io_executor executor, server_options options,
                                    request_handler handler);

}  // namespace certman::net
