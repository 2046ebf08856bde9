// ALB (API 2020-06-16) and NLB (API 2022-04-30) listener and async-job answers, for pointing a listener's
// default certificate at a CAS certificate (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §3,
// §4): GetListenerAttribute (ListenerStatus and the certificate ids; ALB lists objects `Certificates[]
// {CertificateId}`, NLB strings `CertificateIds[]`), the JobId of UpdateListenerAttribute, ALB ListAsynJobs and
// NLB GetJobStatus, and the operator's hint for an error code. Pure.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

inline constexpr std::string_view alb_api_version = "2020-06-16";
inline constexpr std::string_view nlb_api_version = "2022-04-30";

enum class lb_product { alb, nlb };

std::string_view to_string(lb_product p) noexcept;  // "ALB", "NLB"
std::string_view ram_code(lb_product p) noexcept;   // "alb", "nlb" (RAM action prefix, §7)

struct listener_state {
    std::string status;                         // ListenerStatus: "Running", "Configuring", "Provisioning", ...
    std::vector<std::string> certificate_ids;   // default server certificate(s), as the API returns them
    bool running() const { return status == "Running"; }
};

enum class job_status { processing, succeeded, failed };

struct job_state {
    job_status status = job_status::processing;
    std::string error_code;     // ALB Jobs[].ErrorCode of a failed job
    std::string error_message;  // ALB Jobs[].ErrorMessage
};

// GetListenerAttribute of `product`. Errors: errc::parse_error (with a message) when the body is over
// max_answer_bytes (cas_model.hpp), not a JSON object, or has no ListenerStatus (or one over max_code_bytes).
result<listener_state> parse_listener(lb_product product, std::string_view body);

// {"JobId":"…"} of UpdateListenerAttribute. Errors: errc::parse_error when oversized or JobId is missing, empty or
// over max_code_bytes (bounded_text.hpp; it is sent back and quoted in messages).
result<std::string> parse_job_id(std::string_view action, std::string_view body);

// ALB ListAsynJobs(JobIds.1=job_id): the job with Id == job_id, Status Succeeded / Failed / Processing (any
// other status counts as processing). A job not listed (yet) is processing. ErrorCode and ErrorMessage are
// bounded for messages (bounded_text.hpp). Errors: errc::parse_error.
result<job_state> parse_alb_jobs(std::string_view body, std::string_view job_id);

// NLB GetJobStatus: Status "Succeeded" / "Failed" (any case); "processing" or anything else is processing.
// Errors: errc::parse_error when oversized or Status is missing.
result<job_state> parse_nlb_job(std::string_view body);

// What the operator should check about an ALB/NLB error `code` from `action` on `listener_id` in `region`
// ("" when the message says it all): permission codes name the RAM action <alb|nlb>:<action> and the
// load-balancer ARN (§7); a missing listener names listener_id and region; a missing certificate the CAS
// region; key and signature codes the access key.
std::string listener_hint(lb_product product, std::string_view code, std::string_view action,
                          std::string_view listener_id, std::string_view region);

// The listener endpoint of `product` in `region`: "https://alb.<region>.aliyuncs.com" or
// "https://nlb.<region>.aliyuncs.com" (§1.7), or `configured`; `error` as in cas_model.hpp resolve_cas_endpoint.
struct lb_endpoint {
    std::string url;
    std::string error;
};
lb_endpoint resolve_lb_endpoint(lb_product product, std::string_view region, std::string_view configured);

}  // namespace certman::cloud::alibaba
