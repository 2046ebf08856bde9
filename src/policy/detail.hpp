// Internal to the policy layer: small helpers shared by its source files.
#pragma once
#include <cmath>
#include <string>
#include <string_view>

namespace certman::policy::detail {

// Clamps a caller-supplied random number into [0, 1); NaN counts as 0. Callers promise [0, 1) but a
// bad draw must not push a renewal outside its window or a backoff outside its jitter band.
inline double unit(double r) noexcept {
    if (!(r >= 0.0)) return 0.0;
    if (r >= 1.0) return std::nextafter(1.0, 0.0);
    return r;
}

// ASCII lower case: DNS names and key type labels compare case-insensitively (RFC 4343), locale-free.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    return out;
}

}  // namespace certman::policy::detail
