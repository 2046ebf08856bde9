// decision::explain(): the log sentence for a renewal decision. Kept apart from the rules it describes.
#include <string>
#include "certman/policy/renewal.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::policy {
namespace {
using namespace std::chrono;

// "29 days", "79 hours", "5 minutes": whole units, rounded down, coarse enough to read at a glance.
std::string amount(seconds d) {
    if (d >= days{2}) return std::to_string(floor<days>(d).count()) + " days";
    if (d >= hours{2}) return std::to_string(floor<hours>(d).count()) + " hours";
    return std::to_string(floor<minutes>(d).count()) + " minutes";
}

// "29 days of 90 left": the remaining time and the lifetime in the same unit (hours for short lifetimes).
std::string left_of(seconds left, seconds lifetime) {
    if (lifetime >= days{10})
        return std::to_string(floor<days>(left).count()) + " days of " + std::to_string(floor<days>(lifetime).count());
    return std::to_string(floor<hours>(left).count()) + " hours of " + std::to_string(floor<hours>(lifetime).count());
}

std::string window_text(const ari_window& w) {
    return "the CA's suggested window " + format_rfc3339(w.start) + " to " + format_rfc3339(w.end);
}

// The CA's explanation link matters most when it announces a revocation: always show it.
std::string see_url(const ari_window& w) { return w.explanation_url.empty() ? "" : ", see " + w.explanation_url; }

// Why renew_at is where it is, for the "not due" sentence.
std::string schedule_text(const decision& d) {
    switch (d.schedule) {
    case renew_reason::ari_window: return "a random moment in " + window_text(*d.ari) + see_url(*d.ari);
    case renew_reason::renew_before: return amount(d.renew_before) + " before expiry, renew_before";
    default: break;
    }
    std::string s = "1/" + std::to_string(d.fraction) + " of lifetime left";
    if (d.renew_before > seconds{0})
        s += "; renew_before of " + amount(d.renew_before) + " ignored: not shorter than the lifetime (" +
             amount(d.not_after - d.not_before) + ")";
    return s;
}

std::string due_text(const decision& d) {
    const seconds left = d.not_after - d.now;
    switch (d.reason) {
    case renew_reason::missing: return "no certificate stored";
    case renew_reason::names_changed: return "names changed (" + d.detail + ")";
    case renew_reason::key_type_changed: return "key type changed (" + d.detail + ")";
    case renew_reason::profile_changed: return "profile changed (" + d.detail + ")";
    case renew_reason::directory_changed: return "ACME directory changed (" + d.detail + ")";
    case renew_reason::expired: return "expired on " + format_rfc3339(d.not_after);
    case renew_reason::lifetime_fraction:
        return left_of(left, d.not_after - d.not_before) + " left, under the 1/" + std::to_string(d.fraction) +
               " threshold";
    case renew_reason::renew_before:
        return amount(left) + " left, within renew_before of " + amount(d.renew_before);
    case renew_reason::ari_window: return "reached " + window_text(*d.ari) + " (ARI)" + see_url(*d.ari);
    case renew_reason::not_due: break;
    }
    return "unknown reason";
}

}  // namespace

std::string decision::explain() const {
    if (renew) return "renew: " + due_text(*this);
    return "not due: renews on " + format_rfc3339(renew_at) + " (" + schedule_text(*this) + ")";
}

}  // namespace certman::policy
