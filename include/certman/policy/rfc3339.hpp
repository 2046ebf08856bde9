// RFC 3339 timestamps at second precision, as ACME (RFC 8555 §7.1, RFC 9773 §4.2) and certman's own
// state files write them. Pure: converts text to std::chrono::sys_seconds and back, reads no clock.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::policy {

using std::chrono::sys_seconds;

// Parses an RFC 3339 §5.6 date-time: "2025-01-02T04:00:00Z", with optional fractional seconds (dropped,
// i.e. rounded toward the past) and a "Z" or "+hh:mm"/"-hh:mm" offset. 'T' and 'Z' may be lower case.
// A leap second (":60") is read as ":59" of the same minute. Anything else, including impossible dates
// (2025-02-30) → errc::parse_error.
result<sys_seconds> parse_rfc3339(std::string_view text);

// Formats t as "YYYY-MM-DDThh:mm:ssZ" (UTC, no fraction). Years outside 0000..9999 are clamped so the
// output always has this fixed shape.
std::string format_rfc3339(sys_seconds t);

}  // namespace certman::policy
