// The HTTP timestamps ACME uses: the HTTP-date or delta-seconds of the Retry-After header (RFC 9110 §10.2.3,
// RFC 8555 §8.2). The RFC 3339 times in JSON bodies (RFC 8555 §7.1 "expires", "validated") are parsed by
// certman/core/rfc3339.hpp. Pure: "now" is a parameter.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

namespace certman::acme {

using timestamp = std::chrono::system_clock::time_point;

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7, the form senders must use) → the instant.
// The obsolete RFC 850 and asctime forms → nullopt.
std::optional<timestamp> parse_http_date(std::string_view text) noexcept;

// Retry-After: delta-seconds ("120") or an HTTP-date, turned into a wait from `now`. A date in the past gives
// 0 s. Anything else (empty, negative, garbage) → nullopt, so the caller falls back to its own schedule.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view header, timestamp now) noexcept;

}  // namespace certman::acme
