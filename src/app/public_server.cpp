#include "certman/app/public_server.hpp"
#include <chrono>
#include <cstdlib>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
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
// shared storage. Lookups are cached and shared:
//  - a found key authorization is kept 10 s: it never changes while its token exists, and the CA validates
//    one token from several vantage points in a burst (tokens are random and single-use, so a stale entry
//    can only answer a request nobody will make);
//  - a miss is kept 2 s, so that a scan of random tokens cannot hammer the bucket;
//  - concurrent requests for one token share one storage read (no stampede when an entry expires).
struct token_lookups {
    using clock = std::chrono::steady_clock;
    struct known { std::optional<std::string> value; clock::time_point until; };
    struct flight {
        asio::steady_timer done;
        std::optional<std::string> value;
        explicit flight(asio::any_io_executor ex) : done(std::move(ex), asio::steady_timer::time_point::max()) {}
    };
    std::unordered_map<std::string, known> cache;
    std::unordered_map<std::string, std::shared_ptr<flight>> in_flight;
};

std::function<asio::awaitable<std::optional<std::string>>(std::string)> make_challenge_fallback(runtime& rt) {
    auto lookups = std::make_shared<token_lookups>();
    return [&rt, lookups](std::string token) -> asio::awaitable<std::optional<std::string>> {
        using clock = token_lookups::clock;
        if (auto it = lookups->cache.find(token); it != lookups->cache.end() && it->second.until > clock::now())
            co_return it->second.value;
        if (!rt.manager) co_return std::nullopt;
        if (auto it = lookups->in_flight.find(token); it != lookups->in_flight.end()) {
            auto shared = it->second;  // someone is already reading it: wait for their answer
            boost::system::error_code ec;
            co_await shared->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            co_return shared->value;
        }
        auto mine = std::make_shared<token_lookups::flight>(rt.executor);
        lookups->in_flight.emplace(token, mine);
        struct land {  // on every exit (exceptions too): publish the answer and wake the waiters
            token_lookups& l;
            const std::string& token;
            token_lookups::flight& f;
            ~land() {
                l.in_flight.erase(token);
                if (l.cache.size() > 10000) l.cache.clear();
                l.cache[token] = {f.value, clock::now() + (f.value ? std::chrono::seconds(10) : std::chrono::seconds(2))};
                f.done.cancel();
            }
        } landing{*lookups, token, *mine};
        auto found = co_await rt.manager->store().load(storage::challenge_key(token));
        if (found) mine->value = std::move(*found);
        co_return mine->value;
    };
}
}  // namespace

result<void> start_public_server(runtime& rt) {
    auto options = public_options(rt.cfg);
    if (rt.cfg.storage.kind != "dir") options.challenge_fallback = make_challenge_fallback(rt);
    // Integration tests run against the plain Beast reference session too (src/net/reference_session.cpp).
    const auto make = std::getenv("CERTMAN_TEST_REFERENCE_SESSION") ? net::make_reference_server : net::make_server;
    rt.public_server = make(rt.executor, std::move(options),
        [&rt](std::string_view m, std::string_view t) { return net::route_public(m, t, rt.challenges); });
    return rt.public_server->start();
}

}  // namespace certman::app
