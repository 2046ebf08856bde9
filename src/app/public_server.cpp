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

std::unique_ptr<net::server> make_public_server(boost::asio::any_io_executor ex, const config& cfg,
                                                net::challenge_store& challenges) {
    auto options = public_options(cfg);
    if (!cfg.storage.local_directory()) {
        try {
            options.challenge_fallback = make_challenge_fallback(ex, open_lookup_storage(cfg.storage, ex));
        } catch (const std::exception&) {
            // A bad [storage] is reported (and refused) when the renewal manager opens it.
        }
    }
    // [server] implementation: the fast path (src/net/session.cpp) or the plain Beast reference session
    // (src/net/reference_session.cpp); the integration tests run the public port's cases against both.
    const auto make = cfg.server.implementation == server_implementation::reference ? net::make_reference_server
                                                                                     : net::make_server;
    return make(ex, std::move(options),
        [&challenges](std::string_view m, std::string_view t) { return net::route_public(m, t, challenges); });
}

}  // namespace certman::app
