// Human durations in configuration: "90s", "15m", "12h", "7d", "1w" or combinations like "1h30m".
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman {

// Parses a duration; a bare number means seconds. Empty, negative, overflowing or unknown units
// → errc::invalid_argument.
result<std::chrono::seconds> parse_duration(std::string_view text);

// Formats the largest exact units, e.g. 5400s → "1h30m", 0 → "0s".
std::string format_duration(std::chrono::seconds d);

}  // namespace certman
