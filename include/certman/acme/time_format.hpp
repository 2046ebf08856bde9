// The HTTP timestamps ACME uses: the HTTP-date or delta-seconds of the Retry-After header (RFC 9110 §10.2.3,
// RFC 8555 §8.2). The RFC 3339 times in JSON bodies (RFC 8555 §7.1 "expires", "validated") are parsed by
// certman/core/rfc3339.hpp. Pure: "now" is a parameter.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace certman::acme {

using timestamp = std::chrono::system_clock::time_point;

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7, the form senders must use) → the instant.
// The obsolete RFC 850 and asctime forms → nullopt. Dates outside timestamp's range (about 1677-2262)
// saturate to timestamp::min()/max().
std::optional<timestamp> parse_http_date(std::string_view text) noexcept;

// The longest wait parse_retry_after returns: 2^32 s (136 years). Any larger value saturates to it, so a wait
// can always be added to a timestamp (nanoseconds, good until 2262) or a sys_seconds without overflow. It is
// not a sane wait either: every caller clamps further (order polls to the order's deadline, rateLimited to
// policy::max_retry_after).
inline constexpr std::chrono::seconds max_retry_after{std::int64_t{1} << 32};

// Retry-After: delta-seconds ("120", any number of digits) or an HTTP-date, turned into a wait from `now`,
// rounded up to whole seconds. A date in the past gives 0 s; anything longer than max_retry_after (a huge
// number, a date in year 9999) gives max_retry_after: never an overflow, never a negative wait. Anything
// else (empty, negative, garbage) → nullopt, so the caller falls back to its own schedule.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view header, timestamp now) noexcept;

}  // namespace certman::acme
