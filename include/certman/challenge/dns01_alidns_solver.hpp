// DNS-01 (RFC 8555 §8.4) on Alibaba Cloud DNS (Alidns; reference alibaba-cas-alb-nlb-alidns.md §6, §9), keeping
// the contract of acme/challenge_solver.hpp; type() is "dns-01".
//  - present(c): AddDomainRecord of a TXT "_acme-challenge.<name>" (a wildcard "*.x" at "_acme-challenge.x"),
//    RR relative to the zone (configured, else found with DescribeDomains), value base64url(SHA-256(key
//    authorization)) (acme/dns01.hpp), TTL from the options. The RecordId is remembered. Adding a value never
//    touches other values of the name, so concurrent challenges for one name coexist.
//  - wait_ready(c): asks every configured resolver over UDP (net/dns_txt_lookup.hpp, 2 s per query) every
//    poll_interval until all answer the value; errc::timeout after propagation_timeout, naming the resolvers
//    that do not see it yet.
//  - cleanup(c): DeleteDomainRecord of exactly the RecordId present(c) added; errors are logged.
// Alidns errors carry the Alibaba Code and a hint (cloud/alibaba/alidns_model.hpp alidns_hint).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "certman/acme/challenge_solver.hpp"
#include "certman/challenge/dns01_alidns_options.hpp"
#include "certman/cloud/alibaba/rpc_retry.hpp"

namespace certman::net {
class http_client;
}
namespace certman::cloud::alibaba {
class credentials_provider;
}

namespace certman::challenge {

// Request tuning and injected transports (tests); the defaults are production's.
struct dns01_alidns_tuning {
    cloud::alibaba::retry_policy retry;                // Throttling*, 5xx, timeouts (rpc_retry.hpp)
    std::chrono::milliseconds request_timeout{10'000}; // per Alidns request attempt
    std::chrono::milliseconds dns_query_timeout{2'000};
    std::shared_ptr<net::http_client> http;            // null: a client with a 1 MiB body cap
    std::shared_ptr<cloud::alibaba::credentials_provider> credentials;  // null: built from the options
};

// Checks the options (endpoint, ttl in [1, 86400], resolvers "IP:port", positive timeouts): "" when usable, else
// one line naming the key. Used by the config parser and by the factory.
std::string check_dns01_alidns_options(const dns01_alidns_options& options);

// Throws std::invalid_argument (check_dns01_alidns_options's line) when the options are unusable.
std::unique_ptr<acme::challenge_solver> make_dns01_alidns_solver(boost::asio::any_io_executor executor,
                                                                 const dns01_alidns_options& options,
                                                                 dns01_alidns_tuning tuning = {});

}  // namespace certman::challenge
