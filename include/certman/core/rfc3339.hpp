// RFC 3339 timestamps, the one implementation for the whole program: ACME bodies (RFC 8555 §7.1 "expires",
// "validated"), ARI windows (RFC 9773 §4.2), Alibaba STS "Expiration", and certman's own state, lease and
// bundle files. Pure: text to std::chrono time points and back; reads no clock.
//
// Accepted (RFC 3339 §5.6 date-time, exactly):
//   YYYY-MM-DD "T" hh:mm:ss [ "." 1*DIGIT ] ( "Z" / "+hh:mm" / "-hh:mm" )
// - 'T' and 'Z' may be lower case (§5.6 NOTE). The space separator the same NOTE allows is rejected: no CA,
//   cloud API or file of ours sends it, and no earlier parser in certman accepted it.
// - Any number of fraction digits (at least one); digits past microseconds are truncated, never rounded.
// - Offsets "+hh:mm"/"-hh:mm" with hh 00..23 and mm 00..59; "-00:00" (§4.3, unknown local offset) is UTC.
// - A leap second ":60" (§5.7) is accepted in any minute and read as ":59" of that minute (fraction kept), so
//   an instant never moves into the next minute or day; POSIX time has no slot for it.
// - Years are the four digits 0000..9999; dates are proleptic Gregorian and must exist (no 2025-02-30).
// Rejected: everything else, e.g. a missing offset, "+0100", "+24:00", an empty fraction "07.Z", hour 24,
// minute 60, second 61, trailing text, signed or 5-digit years, surrounding whitespace.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman {

using sys_microseconds = std::chrono::sys_time<std::chrono::microseconds>;

// Parses the grammar above to the UTC instant, keeping microseconds (ACME "validated" carries fractions).
// Errors: errc::parse_error for any text outside the grammar or an impossible date or time.
result<sys_microseconds> parse_rfc3339_us(std::string_view text);

// As parse_rfc3339_us, with the fraction dropped (toward the past): the second-precision form certman's
// policy, storage and state documents use. Errors: errc::parse_error.
result<std::chrono::sys_seconds> parse_rfc3339(std::string_view text);

// Formats t as "YYYY-MM-DDThh:mm:ssZ" (UTC, no fraction, always 20 characters). Instants outside
// 0000-01-01T00:00:00Z..9999-12-31T23:59:59Z are clamped to those bounds so the shape never changes and
// parse_rfc3339(format_rfc3339(t)) always succeeds.
std::string format_rfc3339(std::chrono::sys_seconds t);

}  // namespace certman
