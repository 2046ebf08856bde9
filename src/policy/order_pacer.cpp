// The order pacer (order_pacer.hpp) as the generic cell rate algorithm: a token bucket of `burst` orders
// refilling one per `refill`, kept as one time (when the bucket would be full again, plus one refill).
#include "certman/policy/order_pacer.hpp"
#include <algorithm>

namespace certman::policy {

order_pacer::order_pacer(std::size_t burst, std::chrono::seconds refill)
    : refill_(std::max(refill, std::chrono::seconds(1))),
      tolerance_(refill_ * static_cast<long long>(std::max<std::size_t>(burst, 1) - 1)) {}

sys_seconds order_pacer::take(sys_seconds now) {
    const sys_seconds tat = theoretical_ ? std::max(*theoretical_, now) : now;
    const sys_seconds allowed = std::max(now, tat - tolerance_);
    theoretical_ = tat + refill_;
    return allowed;
}

sys_seconds order_pacer::reserve(std::string_view name, sys_seconds now) {
    if (auto it = reserved_.find(name); it != reserved_.end()) {
        if (it->second > now) return it->second;
        reserved_.erase(it);  // its order was taken from the bucket when it was reserved
        return now;
    }
    // Reservations of certificates that never came back (removed by a reload) go after one bucket's length.
    std::erase_if(reserved_, [&](const auto& r) { return r.second + tolerance_ + refill_ < now; });
    const sys_seconds at = take(now);
    if (at > now) reserved_.emplace(std::string(name), at);
    return at;
}

void order_pacer::take_now(sys_seconds now) { take(now); }

std::optional<sys_seconds> order_pacer::reserved(std::string_view name) const {
    if (auto it = reserved_.find(name); it != reserved_.end()) return it->second;
    return std::nullopt;
}

}  // namespace certman::policy
