#include "certman/app/public_server.hpp"
#include "certman/app/storage_factory.hpp"
#include "certman/net/server.hpp"
#include "challenge_fallback.hpp"

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

}  // namespace

result<void> start_public_server(runtime& rt) {
    auto options = public_options(rt.cfg);
    if (!rt.cfg.storage.local_directory()) {
        try {
            options.challenge_fallback = make_challenge_fallback(rt, open_lookup_storage(rt.cfg.storage, rt.executor));
        } catch (const std::exception&) {
            // A bad [storage] is reported (and refused) when the renewal manager opens it.
        }
    }
    // [server] implementation: the fast path (src/net/session.cpp) or the plain Beast reference session
    // (src/net/reference_session.cpp); the integration tests run the public port's cases against both.
    const auto make = rt.cfg.server.implementation == server_implementation::reference ? net::make_reference_server
                                                                                        : net::make_server;
    rt.public_server = make(rt.executor, std::move(options),
        [&rt](std::string_view m, std::string_view t) { return net::route_public(m, t, rt.challenges); });
    return rt.public_server->start();
}

}  // namespace certman::app
