// The alicloud-slb deployer: makes the HTTPS listeners of one Alibaba Cloud SLB/CLB instance serve a stored
// certificate (docs/alibaba-slb.md; reference alibaba-api.md §2). One deploy() pass:
//   1. resolve the load balancer by load_balancer_id or load_balancer_name (exactly one must match);
//   2. read each configured listener's certificate and compare its fingerprint with the bundle leaf's
//      (slb_plan.hpp: SHA-1 or SHA-256, case and colons ignored); all equal → nothing to do;
//   3. otherwise reuse an uploaded certificate with the leaf's fingerprint, or upload the fullchain with the key
//      re-encoded as PKCS#1 under "certman-<name>-<not_after yyyymmdd>-<serial prefix>";
//   4. point each stale listener at it (only ServerCertificateId changes) and read it back to verify;
//   5. delete certman's older uploads for this certificate that no configured listener uses, keeping the
//      keep_previous most recent (a certificate another listener still uses is skipped, not an error).
// Every pass starts from the service's state, so a rerun after a failure at any step converges without
// duplicate uploads (the deployer contract in deployer.hpp). SLB takes RSA only: a bundle with another key type
// fails with errc::unsupported and says so.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include <string>

#include "certman/cloud/alibaba/rpc_retry.hpp"
#include "certman/deploy/deployer.hpp"
#include "certman/deploy/slb_deployer_options.hpp"

namespace certman::net {
class http_client;
}
namespace certman::cloud::alibaba {
class credentials_provider;
}

namespace certman::deploy {

// Request tuning and injected transports (tests, tools); the defaults are production's.
struct slb_deployer_tuning {
    cloud::alibaba::retry_policy retry;                // production defaults: 5 throttled tries from 1 s ...
    std::chrono::milliseconds request_timeout{30'000}; // per SLB request attempt
    std::shared_ptr<net::http_client> http;            // null: net::make_http_client(executor, {})
    // null: the chain built from the options' access_key_id/access_key_secret_file/metadata_endpoint
    std::shared_ptr<cloud::alibaba::credentials_provider> credentials;
};

// Builds the deployer for one [[deployer]] kind = "alicloud-slb" named `name` (deployer::name(), messages). Throws
// std::invalid_argument with a one-line message naming the deployer when the configuration is unusable (no region,
// neither or both of load_balancer_name/load_balancer_id, no listener port, an endpoint that is not https:// or
// loopback http://): a startup misconfiguration.
std::unique_ptr<deployer> make_slb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const slb_deployer_options& config, slb_deployer_tuning options = {});

}  // namespace certman::deploy
