// What the ALB and NLB deployers need from a load balancer's listener API, behind one small interface
// (implemented by alb_client.hpp and nlb_client.hpp; reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md
// §3, §4, §9): read the listener, point its default certificate at a CAS certificate, poll the async job that
// does it. Contract:
//  - every call is one action through rpc_client (timeout per attempt, bounded retries of the busy and throttling
//    codes with the same ClientToken); none waits for the listener or the job: the caller polls, bounded;
//  - errors are failures with the Alibaba Code as peer_code() and, for known codes, a hint
//    (lb_listener_model.hpp listener_hint) naming the RAM action, the listener id or the region.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>

#include "certman/cloud/alibaba/lb_listener_model.hpp"
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

class listener_api {
public:
    virtual ~listener_api() = default;
    virtual lb_product product() const = 0;
    // GetListenerAttribute(ListenerId).
    virtual boost::asio::awaitable<result<listener_state>> read_listener() = 0;
    // UpdateListenerAttribute(ListenerId, the certificate, ClientToken) → JobId. `certificate_id` is the CAS
    // CertIdentifier ("<CertId>-<region>").
    virtual boost::asio::awaitable<result<std::string>> set_default_certificate(std::string certificate_id,
                                                                                std::string client_token) = 0;
    // One poll of the job (ALB ListAsynJobs, NLB GetJobStatus).
    virtual boost::asio::awaitable<result<job_state>> job(std::string job_id) = 0;
};

}  // namespace certman::cloud::alibaba
