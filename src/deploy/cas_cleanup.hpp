// Deleting certman's superseded CAS uploads after an alicloud-alb / alicloud-nlb listener serves the current
// certificate (step 6 of include/certman/deploy/cas_listener_deployer.hpp; reference
// /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §2.2, §2.4, §9 step 6). Internal to src/deploy.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "certman/cloud/alibaba/cas_model.hpp"

namespace certman::cloud::alibaba {
class cas_client;
}

namespace certman::deploy {

struct cas_cleanup_request {
    std::string deployer;                        // the [[deployer]] name, for the log
    std::string prefix, certificate_name;        // cert_name_prefix and the [[certificate]] name
    cloud::alibaba::cas_certificate current;     // CertId served now, the leaf's upload name and SHA-256
    std::set<std::int64_t> in_use;               // CAS ids the listener still references
    int keep_previous = 1;
};

struct cas_cleanup_outcome {
    int deleted = 0;
    int failed = 0;  // failed calls (listing or deletion), each logged as a warning; retried on the next deploy
};

// Adds the EXPIRED uploads (ListUserCertificateOrder Status=EXPIRED: CAS leaves them out of `listed`, the
// default listing, §2.2) and deletes what cas_listener_plan.hpp cas_uploads_to_delete names, newest first,
// one DeleteUserCertificate each. Never fails: the listener already serves the right certificate, so every
// problem is a warning in the log and the next deploy tries again. A refusal of one certificate (e.g. still
// bound to another cloud resource) moves on to the next; a failure without a CAS Code (timeout, 5xx after
// rpc_client's retries), throttling, or a credentials/permission Code (cas_model.hpp cas_hint) stops the rest.
boost::asio::awaitable<cas_cleanup_outcome> delete_superseded_uploads(cloud::alibaba::cas_client& cas,
                                                                      std::vector<cloud::alibaba::cas_certificate> listed,
                                                                      const cas_cleanup_request& request);

}  // namespace certman::deploy
