#include "certman/policy/renewal.hpp"
#include <algorithm>
#include <set>
#include "detail.hpp"

namespace certman::policy {
namespace {
using namespace std::chrono;

// Certificates shorter than this renew at half their lifetime instead of a third (6-day "shortlived").
constexpr seconds short_lifetime = days{10};

// DNS names compare case-insensitively (RFC 4343); order and repeats carry no meaning in a SAN list.
std::set<std::string> name_set(const std::vector<std::string>& names) {
    std::set<std::string> out;
    for (const auto& n : names) out.insert(detail::ascii_lower(n));
    return out;
}

void append_list(std::string& out, const char* label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    if (!out.empty()) out += "; ";
    out += label;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : " ") + items[i];
}

std::string names_diff(const std::set<std::string>& have, const std::set<std::string>& want) {
    std::vector<std::string> added, removed;
    std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(added));
    std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(removed));
    std::string out;
    append_list(out, "added", added);
    append_list(out, "removed", removed);
    return out;
}

std::string quoted(const std::string& s) { return s.empty() ? "(none)" : s; }

// Rule 7 of the header: fills renew_at, schedule and the facts explain() needs.
void schedule(decision& d, const stored_info& s, const wanted& w, sys_seconds now,
              const std::optional<ari_window>& ari, double random01) {
    const seconds lifetime = s.not_after - s.not_before;
    if (ari) {
        const seconds span = ari->end - ari->start;
        const auto offset = seconds{static_cast<seconds::rep>(detail::unit(random01) * static_cast<double>(span.count()))};
        d.schedule = renew_reason::ari_window;
        d.ari = ari;
        d.renew_at = ari->end <= now ? now : ari->start + std::min(offset, span);
        return;
    }
    if (w.renew_before) d.renew_before = *w.renew_before;
    if (w.renew_before && *w.renew_before > seconds{0} && *w.renew_before < lifetime) {
        d.schedule = renew_reason::renew_before;
        d.renew_at = s.not_after - *w.renew_before;
        return;
    }
    d.schedule = renew_reason::lifetime_fraction;
    d.fraction = lifetime < short_lifetime ? 2 : 3;
    d.renew_at = s.not_after - lifetime / d.fraction;
}

decision due_now(decision d, renew_reason r, std::string detail = {}) {
    d.renew = true;
    d.reason = r;
    d.schedule = r;
    d.renew_at = d.now;
    d.detail = std::move(detail);
    return d;
}

}  // namespace

const char* to_string(renew_reason r) noexcept {
    switch (r) {
    case renew_reason::missing: return "missing";
    case renew_reason::names_changed: return "names_changed";
    case renew_reason::key_type_changed: return "key_type_changed";
    case renew_reason::profile_changed: return "profile_changed";
    case renew_reason::directory_changed: return "directory_changed";
    case renew_reason::expired: return "expired";
    case renew_reason::lifetime_fraction: return "lifetime_fraction";
    case renew_reason::renew_before: return "renew_before";
    case renew_reason::ari_window: return "ari_window";
    case renew_reason::not_due: return "not_due";
    }
    return "unknown";
}

decision should_renew(const stored_info* stored, const wanted& config, sys_seconds now,
                      const std::optional<ari_window>& ari, double random01) {
    decision d;
    d.now = now;
    if (stored == nullptr) return due_now(d, renew_reason::missing);
    d.not_before = stored->not_before;
    d.not_after = stored->not_after;

    const auto have = name_set(stored->names), want = name_set(config.names);
    if (have != want) return due_now(d, renew_reason::names_changed, names_diff(have, want));
    if (detail::ascii_lower(stored->key_type) != detail::ascii_lower(config.key_type))
        return due_now(d, renew_reason::key_type_changed, quoted(stored->key_type) + " -> " + quoted(config.key_type));
    if (!config.profile.empty() && config.profile != stored->profile)
        return due_now(d, renew_reason::profile_changed, quoted(stored->profile) + " -> " + config.profile);
    if (!config.directory_url.empty() && !stored->directory_url.empty() &&
        config.directory_url != stored->directory_url)
        return due_now(d, renew_reason::directory_changed, stored->directory_url + " -> " + config.directory_url);
    if (now >= stored->not_after) return due_now(d, renew_reason::expired);

    schedule(d, *stored, config, now, ari, random01);
    d.renew_at = std::min(d.renew_at, stored->not_after);
    if (now >= d.renew_at) {
        d.renew = true;
        d.reason = d.schedule;
        d.renew_at = now;
    } else {
        d.renew = false;
        d.reason = renew_reason::not_due;
    }
    return d;
}

sys_seconds next_check(const decision& d, sys_seconds now, std::chrono::seconds check_interval,
                       std::optional<sys_seconds> ari_next_poll) {
    if (d.renew) return now;
    sys_seconds next = std::min(d.renew_at, now + std::max(check_interval, std::chrono::seconds{0}));
    if (ari_next_poll) next = std::min(next, *ari_next_poll);
    return std::max(next, now);
}

}  // namespace certman::policy
