// Pacing of new orders under the CA's per-account limit. Let's Encrypt allows 300 new orders per account
// per 3 hours, as a token bucket that refills one order every 36 s (letsencrypt.org/docs/rate-limits/,
// "New Orders per Account"); past it every newOrder fails with 429 rateLimited. A daemon with hundreds of
// due certificates (a first start, or a fleet issued on one day) would burn the bucket and then fail the
// rest. The pacer hands out the same bucket on the client side: the first `burst` orders go at once, each
// further one gets a moment of its own in the future, one `refill` apart, reserved for its certificate, so
// the waiting certificates never wake together.
// Pure (time is a parameter); one pacer per process, counting every order of the account (failed ones
// included, as the CA counts them). Renewals the CA exempts (ARI "replaces", RFC 9773 §5) are counted too:
// the pacer may be early to wait, never late.
#pragma once
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace certman::policy {

using std::chrono::sys_seconds;

class order_pacer {
public:
    static constexpr std::size_t letsencrypt_burst = 300;
    static constexpr std::chrono::seconds letsencrypt_refill{36};  // 3 h / 300

    // burst >= 1 orders at once, then one per refill (> 0).
    explicit order_pacer(std::size_t burst = letsencrypt_burst, std::chrono::seconds refill = letsencrypt_refill);

    // When `name` may send its new order, asked at `now`. Returns `now` when the bucket has an order left
    // (taken). Otherwise returns a later time reserved for `name`, and takes that order from the bucket: asked
    // again for the same name, the pacer returns that same time until it has come, then `now` without taking
    // another. Names are exact (certificate names).
    sys_seconds reserve(std::string_view name, sys_seconds now);

    // Takes an order from the bucket without waiting (an operator's forced renewal): later reservations move
    // back by one refill.
    void take_now(sys_seconds now);

    // The reservation held by `name`, if any.
    std::optional<sys_seconds> reserved(std::string_view name) const;
    std::size_t reservations() const noexcept { return reserved_.size(); }

private:
    sys_seconds take(sys_seconds now);
    std::chrono::seconds refill_;
    std::chrono::seconds tolerance_;              // (burst - 1) * refill
    std::optional<sys_seconds> theoretical_;      // GCRA's theoretical arrival time of the next order
    std::map<std::string, sys_seconds, std::less<>> reserved_;
};

}  // namespace certman::policy
