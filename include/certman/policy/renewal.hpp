// When to renew a certificate: the one decision certman makes on every check. Pure: the current time and
// the random draw that spreads renewals inside an ARI window are parameters, so tests pin both.
//
// Rules, first match wins:
//   1. no stored certificate                         → renew (missing)
//   2. names differ as sets (order, case, duplicates ignored) → renew (names_changed)
//   3. key type differs (case-insensitive)           → renew (key_type_changed)
//   4. a profile is wanted and differs from the stored one   → renew (profile_changed)
//   5. a directory is configured, the stored certificate records the directory that issued it, and the two
//      differ (byte for byte) → renew (directory_changed): switching from a staging CA to a production CA
//      replaces the untrusted certificate now, not at its next scheduled renewal. A certificate that records
//      no directory (stored before the field existed) is taken to match, so an upgrade orders nothing.
//   6. now >= not_after                              → renew (expired)
//   7. otherwise compute renew_at and renew when now >= renew_at:
//      - ARI window given (RFC 9773 §4.2): a uniformly random moment inside [start, end), chosen by random01;
//        a window that already ended means now (ari_window);
//      - else renew_before given and shorter than the lifetime: not_after - renew_before (renew_before);
//      - else not_after - lifetime/3, or lifetime/2 for certificates shorter than 10 days
//        (Let's Encrypt's integration guide; right for 90-, 45- and 6-day certificates) (lifetime_fraction).
//      renew_at is never later than not_after.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include "certman/policy/ari.hpp"

namespace certman::policy {

using std::chrono::sys_seconds;

// What is stored about the current certificate (from its X.509 fields and the order that produced it).
struct stored_info {
    std::vector<std::string> names;  // subjectAltName DNS names
    std::string key_type;            // e.g. "ec-p256", "rsa-2048"; compared case-insensitively
    sys_seconds not_before;
    sys_seconds not_after;
    std::string profile;  // ACME profile it was ordered with; empty = CA default / unknown
    std::string directory_url = {};  // ACME directory URL that issued it; empty = unknown (taken to match)
};

// What the configuration asks for.
struct wanted {
    std::vector<std::string> names;
    std::string key_type;
    std::optional<std::chrono::seconds> renew_before;  // resolved by the caller (per certificate or global)
    std::string profile;                               // empty = no preference, never triggers a renewal
    std::string directory_url = {};                    // configured ACME directory; empty = never triggers
};

enum class renew_reason {
    missing,
    names_changed,
    key_type_changed,
    profile_changed,
    directory_changed,
    expired,
    lifetime_fraction,
    renew_before,
    ari_window,
    not_due,
};

// Short stable name of a reason ("lifetime_fraction"...), for metrics labels and JSON status.
const char* to_string(renew_reason r) noexcept;

struct decision {
    bool renew = false;
    renew_reason reason = renew_reason::not_due;
    sys_seconds renew_at;  // when it is (or became) due; equals `now` when renew is true
    // The rule that produced renew_at (lifetime_fraction, renew_before or ari_window); equal to reason
    // for the rules 1-6, which are due immediately.
    renew_reason schedule = renew_reason::not_due;

    // Facts for explain(); not part of the decision itself.
    sys_seconds now;
    sys_seconds not_before;                   // of the stored certificate, epoch when missing
    sys_seconds not_after;                    // idem
    int fraction = 0;                         // 3 or 2 when schedule is lifetime_fraction
    std::chrono::seconds renew_before{0};     // when schedule is renew_before, or when it had to be ignored
    std::optional<ari_window> ari;            // when schedule is ari_window
    std::string detail;                       // what changed, for rules 2-5 (e.g. "added b.example")

    // One human sentence for the logs, e.g.
    //   "renew: 29 days of 90 left, under the 1/3 threshold"
    //   "not due: renews on 2026-12-30T10:00:00Z (1/3 of lifetime left)"
    std::string explain() const;
};

// Decides whether to renew now. stored is nullptr when there is no certificate. random01 in [0, 1) picks the
// moment inside an ARI window; values outside are clamped. Pass the same value for the same certificate on
// every check (e.g. drawn once and kept with the certificate's state): a fresh draw per check would move the
// moment around and make an early renewal more and more likely. Never fails.
decision should_renew(const stored_info* stored, const wanted& config, sys_seconds now,
                      const std::optional<ari_window>& ari, double random01);

// When the daemon should look at this certificate again: now if it is due; otherwise the earliest of
// renew_at, now + check_interval (the regular re-check that notices config, clock or file changes), and the
// ARI poll time if one is known (a new window can move renew_at earlier). Never earlier than now. The
// caller applies failure backoff (backoff.hpp) on top of this.
sys_seconds next_check(const decision& d, sys_seconds now, std::chrono::seconds check_interval,
                       std::optional<sys_seconds> ari_next_poll = std::nullopt);

}  // namespace certman::policy
