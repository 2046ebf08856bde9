#include "certman/app/public_server.hpp"
#include <chrono>
#include <unordered_map>
#include "certman/app/renewal_manager.hpp"
#include "certman/net/server.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
net::server_options public_options(const config& cfg) {
    net::server_options o;
    o.listen = cfg.server.listen;
    o.max_connections = cfg.server.max_connections;
    o.header_timeout = cfg.server.header_timeout;
    o.idle_timeout = cfg.server.idle_timeout;
    o.max_header_bytes = cfg.server.max_header_bytes;
    o.max_body_bytes = cfg.server.max_body_bytes;
    o.name = "public";
    return o;
}

// Cluster mode: a token this instance does not hold may have been published by another instance into the
// shared storage. Misses are remembered for 2 s so that a scan of random tokens cannot hammer the bucket.
std::function<asio::awaitable<std::optional<std::string>>(std::string)> make_challenge_fallback(runtime& rt) {
    auto misses = std::make_shared<std::unordered_map<std::string, std::chrono::steady_clock::time_point>>();
    return [&rt, misses](std::string token) -> asio::awaitable<std::optional<std::string>> {
        const auto now = std::chrono::steady_clock::now();
        if (auto it = misses->find(token); it != misses->end() && it->second > now) co_return std::nullopt;
        if (!rt.manager) co_return std::nullopt;
        auto found = co_await rt.manager->store().load(storage::challenge_key(token));
        if (found) co_return std::move(*found);
        if (misses->size() > 10000) misses->clear();
        (*misses)[token] = now + std::chrono::seconds(2);
        co_return std::nullopt;
    };
}
}  // namespace

result<void> start_public_server(runtime& rt) {
    auto options = public_options(rt.cfg);
    if (rt.cfg.storage.kind != "dir") options.challenge_fallback = make_challenge_fallback(rt);
    rt.public_server = net::make_server(rt.executor, std::move(options),
        [&rt](std::string_view m, std::string_view t) { return net::route_public(m, t, rt.challenges); });
    return rt.public_server->start();
}

}  // namespace certman::app
