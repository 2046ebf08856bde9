// Alibaba Cloud RPC OpenAPI error envelopes and what to do about them (reference alibaba-api.md §1.6-§1.7).
// An error answer is HTTP 4xx/5xx with {"RequestId","HostId","Code","Message"[, "Recommend"]}. This module parses
// it, decides whether and how a caller may retry, and formats a log-safe message. Pure.
#pragma once
#include <string>
#include <string_view>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

struct api_error {
    unsigned http_status = 0;
    std::string code;        // "Throttling.User", "SignatureDoesNotMatch", ...
    std::string message;     // already passed through sanitize_message()
    std::string request_id;
    std::string host_id;
};

// Parses a JSON error envelope; message sanitized, Code/RequestId/HostId bounded_text()ed. errc::parse_error when
// the body is not a JSON object or has no string "Code" (e.g. an HTML page from a proxy: classify by status alone).
result<api_error> parse_api_error(std::string_view body, unsigned http_status);

// How a failed call may be retried.
enum class retry_class {
    never,                     // configuration, permission or input problem: retrying cannot help
    throttled,                 // Throttling*: exponential backoff with jitter
    transient_bounded,         // ServiceUnavailable, InternalError, SLB busy codes, bare 5xx: a few retries
    refresh_credentials_once,  // STS token missing/expired/mismatched: fetch new credentials, retry once
    fresh_nonce,               // SignatureNonceUsed: re-sign with a new nonce and retry
};

// Classifies by Code first (§1.7 table and the SLB busy codes the Terraform provider retries), then by HTTP status
// when the code is empty or unknown (429 → throttled, 5xx → transient_bounded). Never fails.
retry_class classify(std::string_view code, unsigned http_status);

std::string_view to_string(retry_class c) noexcept;

// Cuts a gateway message at "server string to sign is:" (any case), trims and bounds it (bounded_text.hpp, 300
// bytes): SignatureDoesNotMatch messages echo every request parameter, which must not reach the logs.
std::string sanitize_message(std::string_view message);

// "<action> failed: <Code> (HTTP <status>, RequestId <id>): <message>", message sanitized again. Names what an
// operator needs to open a ticket; never the parameters or the string to sign.
std::string format_api_error(std::string_view action, const api_error& e);

}  // namespace certman::cloud::alibaba
