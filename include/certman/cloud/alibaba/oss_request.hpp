// The pure half of the OSS client (oss_client.hpp): where a request goes, which failures are worth another
// try, how long to wait, and how a failure reads in a log. Reference alibaba-api.md §4.1 (operations, error
// codes) and §4 (endpoints). No I/O, no clock, no randomness of its own.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "certman/cloud/alibaba/oss_xml.hpp"
#include "certman/cloud/alibaba/rpc_signature.hpp"  // param_list
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

// A parsed endpoint. Accepted forms:
//   "oss-cn-hangzhou-internal.aliyuncs.com"          → https, virtual-hosted (<bucket>.<host>)
//   "https://oss-cn-hangzhou.aliyuncs.com[:port]"     → the same with an explicit scheme
//   "http://127.0.0.1:9000" / "http://localhost:9000" → path style (/<bucket>/<key>): an IP literal or
//                                                       "localhost" cannot carry a bucket label (emulators)
// Errors: errc::config_error for another scheme, a path, query, user info or an empty host.
struct oss_endpoint {
    std::string scheme;     // "https" or "http"
    std::string authority;  // "host[:port]"
    bool path_style = false;
};
result<oss_endpoint> parse_oss_endpoint(std::string_view text);

// The region id an aliyuncs.com endpoint names ("oss-cn-hangzhou-internal.aliyuncs.com" → "cn-hangzhou"),
// or "" when the host is not of that form.
std::string region_from_endpoint(const oss_endpoint& e);

// The absolute URL of an object (key non-empty) or of the bucket (key empty), with the query encoded
// (RFC 3986 unreserved kept, everything else %XY; an empty value is written as a bare name, as OSS signs it).
std::string oss_url(const oss_endpoint& e, std::string_view bucket, std::string_view key, const param_list& query);

// What one failed attempt means for the call.
enum class oss_failure {
    final,          // a definite answer (4xx other than below): no retry
    transient,      // 5xx, 429, timeout, transport error: retry with backoff (bounded)
};
// `status` 0 = no HTTP answer (timeout, connection error).
oss_failure classify_oss_failure(unsigned status, std::string_view code);

// True when the service may have carried out a request that failed this way (no answer, or a 5xx): a retried
// create-if-absent may then meet its own earlier write.
bool oss_failure_ambiguous(unsigned status);

// Delay before retry n (n ≥ 1): base · 2^(n-1) capped at cap, scaled into [1/2, 1) by jitter ∈ [0, 1).
std::chrono::milliseconds oss_backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, int n,
                                      double jitter);

// "PutObject certs/a.json: FileAlreadyExists (HTTP 409, RequestId 5C3D...): The object ... exists" — the
// operation, the object, the code, the status and the request id an operator quotes in a ticket. Missing
// pieces are left out; the message is cut at "string to sign" (SignatureDoesNotMatch echoes the request).
std::string format_oss_error(std::string_view operation, std::string_view object, unsigned status,
                             const oss_error_body& e);

}  // namespace certman::cloud::alibaba
