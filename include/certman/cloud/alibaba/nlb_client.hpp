// NLB (Network Load Balancer, 2022-04-30) TCPSSL listener calls for certificate deployment, over rpc_client with
// signature V3 (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §1.1, §4): reads
// (GetListenerAttribute, GetJobStatus) put their parameters in the query, UpdateListenerAttribute puts
// ListenerId, RegionId, CertificateIds.1 and ClientToken in a form body, exactly as the SDK does (vector D).
// Contract: listener_api.hpp.
#pragma once
#include <memory>
#include <string>

#include "certman/cloud/alibaba/listener_api.hpp"

namespace certman::cloud::alibaba {

class rpc_client;

// `rpc` must use signature V3 and nlb_api_version. Listener ids look like "lsn-…@443".
std::shared_ptr<listener_api> make_nlb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id,
                                              std::string region);

}  // namespace certman::cloud::alibaba
