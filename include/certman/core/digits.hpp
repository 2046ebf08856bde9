// The one reader of ASCII decimal digits in date and time text: RFC 3339 timestamps (core/rfc3339), the
// HTTP IMF-fixdate and Retry-After's delta-seconds (RFC 9110 §5.6.7, §10.2.3; acme/time_format). Pure.
// Only '0'..'9' count as digits: no sign, no whitespace, no locale, no other Unicode digits.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace certman {

// Exactly n digits at text[pos], 1 <= n <= 9 (so the value fits an int), e.g. "2026" of a year or "07" of
// a month. On success pos moves past them; on failure (fewer than n characters left, a non-digit among them,
// or n outside 1..9) it returns nullopt and pos is unchanged.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t n) noexcept;

// The whole of text as 1*DIGIT of any length, its value capped at `cap` (>= 0): a longer number saturates
// instead of overflowing. nullopt if text is empty or holds anything but digits.
std::optional<std::int64_t> read_digits_saturating(std::string_view text, std::int64_t cap) noexcept;

}  // namespace certman
