// Internal to the policy layer: sanitizing the caller's random draw.
#pragma once
#include <cmath>

namespace certman::policy::detail {

// Clamps a caller-supplied random number into [0, 1); NaN counts as 0. Callers promise [0, 1) but a
// bad draw must not push a renewal outside its window or a backoff outside its jitter band.
inline double unit(double r) noexcept {
    if (!(r >= 0.0)) return 0.0;
    if (r >= 1.0) return std::nextafter(1.0, 0.0);
    return r;
}

}  // namespace certman::policy::detail
