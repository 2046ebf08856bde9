// ALB (Application Load Balancer, 2020-06-16) listener calls for certificate deployment, over rpc_client with
// signature V3 and every parameter in the query (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md
// §1.1, §3): GetListenerAttribute, UpdateListenerAttribute(Certificates.1.CertificateId, ClientToken),
// ListAsynJobs(JobIds.1). Contract: listener_api.hpp.
#pragma once
#include <memory>
#include <string>

#include "certman/cloud/alibaba/listener_api.hpp"

namespace certman::cloud::alibaba {

class rpc_client;

// `rpc` must use signature V3 and alb_api_version. `region` is for hints only (ALB takes no RegionId here).
std::shared_ptr<listener_api> make_alb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id,
                                              std::string region);

}  // namespace certman::cloud::alibaba
