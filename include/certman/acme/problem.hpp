// ACME problem documents (RFC 8555 §6.7, RFC 7807): what the CA says went wrong, as a typed value, plus the
// one-line description an operator reads in the logs. Pure.
//
// Policy reminder (STYLE.md, lego): only badNonce is retried by the driver; every other problem is final for
// the current attempt, and rateLimited carries Retry-After up to the caller's backoff.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"

namespace certman::acme {

struct problem {
    std::string type;    // full URI as sent ("urn:ietf:params:acme:error:badNonce"); "about:blank" when absent
    std::string detail;  // human-readable text from the CA (may be empty)
    unsigned status = 0; // HTTP status of the response (the body's "status" member when the response had none)
    std::optional<acme::identifier> identifier;  // §6.7.1: the identifier a subproblem is about
    std::vector<problem> subproblems;            // §6.7.1
    std::optional<std::chrono::seconds> retry_after;  // from the response's Retry-After header
};

// The URN prefix of RFC 8555 §6.7 error types.
inline constexpr std::string_view acme_error_prefix = "urn:ietf:params:acme:error:";

// Builds a problem from an error response. Never fails: a body that is not a problem document (an HTML page from
// a proxy, truncated JSON) becomes type "about:blank" with a detail quoting the start of the body, so the
// operator still sees what came back. `retry_after` is the already parsed header (see parse_retry_after).
problem parse_problem(std::string_view body, unsigned http_status,
                      std::optional<std::chrono::seconds> retry_after = std::nullopt);

// True when p's type is the ACME error `name`: both "badNonce" and "urn:ietf:params:acme:error:badNonce" match
// "urn:ietf:params:acme:error:badNonce"; any other URI matches only itself.
bool is(const problem& p, std::string_view name) noexcept;

// The type without the ACME URN prefix ("connection"), or the full type for other URIs.
std::string_view short_type(const problem& p) noexcept;

// One line for an SRE: "<context>: <type>: <detail> [identifier X] (subproblem a.example: dns: ...; ...)
// (HTTP 400, retry after 3600 s)". Newlines in CA text are flattened; an empty context is allowed.
std::string describe(const problem& p, std::string_view context);

}  // namespace certman::acme
