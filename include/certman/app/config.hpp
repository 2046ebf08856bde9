// certman's configuration: the TOML file's sections as plain values, with their defaults.
// Parsing and validation live in config_parser.hpp; this header is just the shape, so every layer can take
// the part it needs by const reference.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "certman/net/endpoint.hpp"

namespace certman::app {

struct server_config {                       // faces the load balancer
    net::endpoint listen{"0.0.0.0", 8080};
    std::size_t max_connections = 10000;     // accepted sockets beyond this are closed at once
    std::chrono::seconds header_timeout{10}; // a request's headers must arrive within this
    std::chrono::seconds idle_timeout{60};   // keep-alive connection with no request
    std::size_t max_header_bytes = 8192;     // larger → 431
    std::size_t max_body_bytes = 16384;      // larger → 413
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

struct storage_config {
    std::string kind = "dir";                // dir|oss
    std::string path = "/var/lib/certman";   // dir
    std::string bucket, prefix, endpoint, region;  // oss
    std::string access_key_id, access_key_secret_file;  // oss credentials (else env / RAM role)
    std::string metadata_endpoint;           // ECS metadata service override (tests)
    bool server_side_encryption = false;
    std::chrono::seconds lease_ttl{120};     // per-certificate order lease; refreshed every lease_ttl/3
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
};

struct deployer_config {
    std::string name;
    std::string kind;                        // alicloud-slb|haproxy|files
    // alicloud-slb
    std::string region, load_balancer_name, load_balancer_id, endpoint;
    std::vector<int> listener_ports{443};
    std::string access_key_id, access_key_secret_file, metadata_endpoint;
    int keep_previous = 1;
    // haproxy
    std::string socket;                      // runtime API (stats socket) path
    std::string crt_path;                    // the PEM file HAProxy loads (cert + key)
    // files
    std::string directory;
    std::string fullchain_name = "fullchain.pem", key_name = "privkey.pem", cert_name = "cert.pem",
                chain_name = "chain.pem";
    std::string owner, group;
    std::vector<std::string> reload_command;  // argv; empty = none
    // The reload command's environment beyond the allowlist (deploy/child_environment.hpp): names copied
    // from the daemon's environment, and NAME=value entries.
    std::vector<std::string> pass_environment, environment;
    std::chrono::seconds timeout{30};
};

struct config {
    std::string source;                      // file name, for messages
    server_config server;
    admin_config admin;
    log_config log;
    acme_config acme;
    storage_config storage;
    renewal_config renewal;
    std::vector<certificate_config> certificates;
    std::vector<deployer_config> deployers;

    const deployer_config* find_deployer(std::string_view name) const;
    const certificate_config* find_certificate(std::string_view name) const;
};

}  // namespace certman::app
