// ACME Renewal Information (ARI, RFC 9773), the pure parts: the certificate identifier a client puts in
// the renewalInfo URL and in a newOrder's "replaces" field (§4.1, §5), and the reading of a renewalInfo
// response into a suggested window plus the time to poll again (§4.2, §4.3). Fetching is the caller's job;
// should_renew() (renewal.hpp) turns a window into a decision.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::policy {

using std::chrono::sys_seconds;

// The CA's advice for one certificate (RFC 9773 §4.2), with the time certman should ask again.
struct ari_window {
    sys_seconds start;            // suggestedWindow.start
    sys_seconds end;              // suggestedWindow.end, always after start
    std::string explanation_url;  // explanationURL, empty when absent; worth logging (revocation notices)
    sys_seconds next_poll;        // now + Retry-After clamped to [1 h, 12 h] (6 h when absent)
};

// Default and bounds for the ARI polling interval. RFC 9773 §4.3 lets the server set it with Retry-After;
// Let's Encrypt asks for a check at least twice a day, and polling more than hourly helps nobody.
inline constexpr std::chrono::seconds ari_default_poll = std::chrono::hours{6};
inline constexpr std::chrono::seconds ari_min_poll = std::chrono::hours{1};
inline constexpr std::chrono::seconds ari_max_poll = std::chrono::hours{12};

// The RFC 9773 §4.1 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial), both
// without padding. aki_bytes is the raw keyIdentifier octet string of the certificate's Authority Key
// Identifier extension. serial_der_bytes is the serial number's DER INTEGER content (no tag, no length),
// e.g. 00 87 65 43 21; the unsigned big-endian magnitude (87 65 43 21, as OpenSSL's BN_bn2bin gives it) is
// accepted too: the serial is normalized to its minimal DER form for a positive integer, which re-adds the
// leading 00 when the top bit is set and drops redundant leading zeros (RFC 5280 §4.1.2.2: serials are
// positive). An empty serial is read as zero. Never fails.
std::string ari_cert_id(std::string_view aki_bytes, std::string_view serial_der_bytes);

// Parses a renewalInfo response body (RFC 9773 §4.2):
//   {"suggestedWindow": {"start": "<RFC 3339>", "end": "<RFC 3339>"}, "explanationURL": "<url>"}
// retry_after_header is the response's Retry-After in seconds, if it had one (the HTTP layer converts an
// HTTP-date into seconds from now). Unknown members are ignored (the object is extensible).
// Errors: errc::parse_error when the body is not JSON, suggestedWindow or its start/end is missing or not an
// RFC 3339 string, end is not after start, or explanationURL is present but not a string; the failure's
// message says which, in a few words for the operator's log ("suggestedWindow end is not after start").
result<ari_window> parse_renewal_info(std::string_view json, std::optional<std::chrono::seconds> retry_after_header,
                                      sys_seconds now);

// When to poll again after a failed or malformed renewalInfo fetch: the Retry-After if given, otherwise the
// default, clamped like a successful answer (RFC 9773 §4.3: keep polling; meanwhile the local schedule applies).
sys_seconds ari_next_poll(std::optional<std::chrono::seconds> retry_after_header, sys_seconds now);

}  // namespace certman::policy
