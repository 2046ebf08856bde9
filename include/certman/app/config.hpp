// certman's configuration: the TOML file's sections as plain values, with their defaults.
// Parsing and validation live in config_parser.hpp; this header is just the shape. The adapters own their
// options types (deploy/*_options.hpp, storage/*_options.hpp); this header composes them, and nothing below
// app/ includes it (docs/architecture.md).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>
#include "certman/challenge/dns01_alidns_options.hpp"
#include "certman/deploy/files_deployer_options.hpp"
#include "certman/deploy/haproxy_deployer_options.hpp"
#include "certman/deploy/slb_deployer_options.hpp"
#include "certman/deploy/alb_deployer_options.hpp"
#include "certman/deploy/nlb_deployer_options.hpp"
#include "certman/net/endpoint.hpp"
#include "certman/storage/dir_storage_options.hpp"
#include "certman/storage/oss_storage_options.hpp"

namespace certman::app {

// Which session serves the public port (src/net/): the fast path (accept4/recv before Asio, sweeper) or the
// plain Beast session it is measured and tested against. Both answer every request the same way.
enum class server_implementation { fast, reference };

struct server_config {                       // faces the load balancer
    net::endpoint listen{"0.0.0.0", 8080};
    std::size_t max_connections = 10000;     // accepted sockets beyond this are closed at once
    std::chrono::seconds header_timeout{10}; // a request's headers must arrive within this
    std::chrono::seconds idle_timeout{60};   // keep-alive connection with no request
    std::size_t max_header_bytes = 8192;     // larger → 431
    std::size_t max_body_bytes = 16384;      // larger → 413
    server_implementation implementation = server_implementation::fast;
};

struct admin_config {                        // metrics and status; loopback only unless allow_remote
    bool enabled = true;
    net::endpoint listen{"127.0.0.1", 9090};
    bool allow_remote = false;
    // The control socket (control_server.hpp) `certman renew/revoke/reload/status` talk to; "" = none.
    std::string control_socket = "/run/certman/certman.sock";
};

struct log_config {
    std::string level = "info";              // trace|debug|info|warn|error
    std::string format = "text";             // text|json
};

struct acme_config {
    std::string directory = "https://acme-v02.api.letsencrypt.org/directory";
    std::string email;                       // contact; optional but recommended
    bool agree_tos = false;                  // must be true to create an account
    std::string trusted_ca;                  // extra PEM roots for the CA's HTTPS (private CA, Pebble)
    std::string eab_kid;                     // external account binding
    std::string eab_hmac_key;                // secret: base64url; never printed
    std::string preferred_chain;             // issuer CN of the alternate chain to prefer
    std::string account_key_type = "ec256";
    std::chrono::seconds order_timeout{300}; // whole order: create → certificate
    std::chrono::seconds request_timeout{30};
};

// [storage]: one alternative per backend kind, each owned by its adapter (storage/<kind>_storage_options.hpp).
// A new kind is one more alternative here; the parser, the renderer and open_storage() visit the variant, so
// the compiler lists what else it needs.
using storage_options = std::variant<storage::dir_storage_options, storage::oss_storage_options>;

struct storage_config {
    storage_options backend;                 // default: dir at /var/lib/certman
    std::chrono::seconds lease_ttl{120};     // per-certificate order lease; refreshed every lease_ttl/3

    // The state directory when the backend is a local directory (single machine), else null (shared storage:
    // cluster mode, challenges published to the bucket, no live/ export).
    const storage::dir_storage_options* local_directory() const {
        return std::get_if<storage::dir_storage_options>(&backend);
    }
};

struct renewal_config {
    std::chrono::seconds check_interval{3600};
    std::optional<std::chrono::seconds> renew_before;  // global override of the 1/3-lifetime rule
    int max_concurrent_orders = 4;
};

struct certificate_config {
    std::string name;
    std::vector<std::string> domains;
    std::vector<std::string> deploy;         // deployer names
    std::string key_type = "ec256";          // ec256|ec384|rsa2048|rsa3072|rsa4096
    std::optional<std::chrono::seconds> renew_before;
    std::string profile;                     // ACME profile (e.g. "shortlived"); empty = CA default
    std::string challenge;                   // "http-01" | "dns-01"; empty = [challenge] type
};

// [challenge] provider: one alternative per DNS provider of dns-01, each owned by its solver
// (challenge/dns01_<provider>_options.hpp, with its `kind` string).
using dns01_provider_options = std::variant<challenge::dns01_alidns_options>;

// [challenge]: how certificates prove control of their names (RFC 8555 §8). `type` is the default of every
// [[certificate]] challenge; the provider is what dns-01 certificates use.
struct challenge_config {
    std::string type = "http-01";            // "http-01" | "dns-01"
    std::optional<dns01_provider_options> dns01;  // set when [challenge] names a provider
};

// [[deployer]]: one alternative per kind, each owned by its adapter (deploy/<kind>_deployer_options.hpp, with
// its `kind` string). A new kind is one more alternative here; the parser, the renderer and make_deployer()
// visit the variant, so the compiler lists what else it needs.
using deployer_options = std::variant<deploy::slb_deployer_options, deploy::haproxy_deployer_options,
                                      deploy::files_deployer_options, deploy::alb_deployer_options,
                                      deploy::nlb_deployer_options>;

struct deployer_config {
    std::string name;                        // what [[certificate]] deploy = [...] refers to
    deployer_options options;

    std::string_view kind() const {          // for messages and rendering only; decide on the type
        return std::visit([](const auto& o) { return std::string_view(o.kind); }, options);
    }
};

struct config {
    std::string source;                      // file name, for messages
    server_config server;
    admin_config admin;
    log_config log;
    acme_config acme;
    storage_config storage;
    renewal_config renewal;
    challenge_config challenge;
    std::vector<certificate_config> certificates;
    std::vector<deployer_config> deployers;

    const deployer_config* find_deployer(std::string_view name) const;
    const certificate_config* find_certificate(std::string_view name) const;
    // The certificate's challenge type: its own `challenge`, else [challenge] type.
    std::string_view challenge_type(const certificate_config& c) const {
        return c.challenge.empty() ? std::string_view(challenge.type) : std::string_view(c.challenge);
    }
};

}  // namespace certman::app
