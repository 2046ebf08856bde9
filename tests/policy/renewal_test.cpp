#include <doctest/doctest.h>
#include <cmath>
#include "certman/policy/renewal.hpp"
#include "certman/core/rfc3339.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

namespace {
using certman::test::at;

stored_info cert(const char* not_before, const char* not_after) {
    return {{"example.com", "www.example.com"}, "ec-p256", at(not_before), at(not_after), "classic"};
}
wanted config(std::optional<seconds> renew_before = std::nullopt) {
    return {{"example.com", "www.example.com"}, "ec-p256", renew_before, ""};
}
}  // namespace

TEST_CASE("should_renew: lifetime fraction for 90-, 45- and 6-day certificates") {
    struct row {
        const char* what; const char* nb; const char* na; const char* now;
        bool renew; renew_reason reason; const char* renew_at;
    };
    const row rows[] = {
        // classic, 90 days: due with 30 days left
        {"90d fresh", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-01-01T00:00:00Z", false,
         renew_reason::not_due, "2026-03-02T00:00:00Z"},
        {"90d 1 s early", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-01T23:59:59Z", false,
         renew_reason::not_due, "2026-03-02T00:00:00Z"},
        {"90d at threshold", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-02T00:00:00Z", true,
         renew_reason::lifetime_fraction, "2026-03-02T00:00:00Z"},
        {"90d later", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-20T00:00:00Z", true,
         renew_reason::lifetime_fraction, "2026-03-20T00:00:00Z"},
        // Let's Encrypt's real shape: notAfter is inclusive, lifetime 90 days minus 1 s
        {"90d-1s LE", "2026-01-01T10:00:00Z", "2026-04-01T09:59:59Z", "2026-03-02T09:59:59Z", false,
         renew_reason::not_due, "2026-03-02T10:00:00Z"},
        // tlsserver, 45 days: due with 15 days left (a fixed "30 days before" would renew on day 15)
        {"45d early", "2026-01-01T00:00:00Z", "2026-02-15T00:00:00Z", "2026-01-16T00:00:00Z", false,
         renew_reason::not_due, "2026-01-31T00:00:00Z"},
        {"45d due", "2026-01-01T00:00:00Z", "2026-02-15T00:00:00Z", "2026-01-31T00:00:00Z", true,
         renew_reason::lifetime_fraction, "2026-01-31T00:00:00Z"},
        // shortlived, 160 hours: under 10 days, so due at half: 80 hours left
        {"6d early", "2026-01-01T00:00:00Z", "2026-01-07T16:00:00Z", "2026-01-04T07:59:59Z", false,
         renew_reason::not_due, "2026-01-04T08:00:00Z"},
        {"6d due", "2026-01-01T00:00:00Z", "2026-01-07T16:00:00Z", "2026-01-04T08:00:00Z", true,
         renew_reason::lifetime_fraction, "2026-01-04T08:00:00Z"},
        // the 10-day boundary: exactly 10 days is not "shorter than 10 days"
        {"10d uses 1/3", "2026-01-01T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-01T00:00:00Z", false,
         renew_reason::not_due, "2026-01-07T16:00:00Z"},
        {"10d-1s uses 1/2", "2026-01-01T00:00:00Z", "2026-01-10T23:59:59Z", "2026-01-01T00:00:00Z", false,
         renew_reason::not_due, "2026-01-06T00:00:00Z"},
        // expiry
        {"expired at not_after", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-04-01T00:00:00Z", true,
         renew_reason::expired, "2026-04-01T00:00:00Z"},
        {"expired long ago", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2027-01-01T00:00:00Z", true,
         renew_reason::expired, "2027-01-01T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        const stored_info s = cert(r.nb, r.na);
        const decision d = should_renew(&s, config(), at(r.now), std::nullopt, 0.5);
        CHECK(d.renew == r.renew);
        CHECK(d.reason == r.reason);
        CHECK(format_rfc3339(d.renew_at) == r.renew_at);
        if (!r.renew) CHECK(d.schedule == renew_reason::lifetime_fraction);
    }
}

TEST_CASE("should_renew: renew_before, and when it cannot be honoured") {
    struct row {
        const char* what; const char* nb; const char* na; seconds before; const char* now;
        bool renew; renew_reason schedule; const char* renew_at;
    };
    const row rows[] = {
        {"90d, 30d before", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", days{30}, "2026-03-01T00:00:00Z", false,
         renew_reason::renew_before, "2026-03-02T00:00:00Z"},
        {"90d, 10d before", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", days{10}, "2026-03-15T00:00:00Z", false,
         renew_reason::renew_before, "2026-03-22T00:00:00Z"},
        {"90d, 10d before, due", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", days{10}, "2026-03-22T00:00:00Z",
         true, renew_reason::renew_before, "2026-03-22T00:00:00Z"},
        {"45d, 20d before", "2026-01-01T00:00:00Z", "2026-02-15T00:00:00Z", days{20}, "2026-01-20T00:00:00Z", false,
         renew_reason::renew_before, "2026-01-26T00:00:00Z"},
        // 30 days before a 6-day certificate would renew on every check: fall back to the fraction
        {"6d, 30d before ignored", "2026-01-01T00:00:00Z", "2026-01-07T16:00:00Z", days{30}, "2026-01-02T00:00:00Z",
         false, renew_reason::lifetime_fraction, "2026-01-04T08:00:00Z"},
        {"zero ignored", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", seconds{0}, "2026-01-02T00:00:00Z", false,
         renew_reason::lifetime_fraction, "2026-03-02T00:00:00Z"},
        {"negative ignored", "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", -days{5}, "2026-01-02T00:00:00Z", false,
         renew_reason::lifetime_fraction, "2026-03-02T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        const stored_info s = cert(r.nb, r.na);
        const decision d = should_renew(&s, config(r.before), at(r.now), std::nullopt, 0.5);
        CHECK(d.renew == r.renew);
        CHECK(d.schedule == r.schedule);
        CHECK(d.reason == (r.renew ? r.schedule : renew_reason::not_due));
        CHECK(format_rfc3339(d.renew_at) == r.renew_at);
    }
}

TEST_CASE("should_renew: ARI window picks a uniform moment and overrides local schedules") {
    const stored_info s = cert("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
    const ari_window w{at("2026-03-01T00:00:00Z"), at("2026-03-03T00:00:00Z"), "", at("2026-02-01T06:00:00Z")};
    struct row { const char* what; double r; const char* now; bool renew; const char* renew_at; };
    const row rows[] = {
        {"r=0 → start", 0.0, "2026-02-01T00:00:00Z", false, "2026-03-01T00:00:00Z"},
        {"r=0.25", 0.25, "2026-02-01T00:00:00Z", false, "2026-03-01T12:00:00Z"},
        {"r=0.5 → middle", 0.5, "2026-02-01T00:00:00Z", false, "2026-03-02T00:00:00Z"},
        {"r just under 1", 0.999999, "2026-02-01T00:00:00Z", false, "2026-03-02T23:59:59Z"},
        {"r=1 clamped inside", 1.0, "2026-02-01T00:00:00Z", false, "2026-03-02T23:59:59Z"},
        {"r=7 clamped inside", 7.0, "2026-02-01T00:00:00Z", false, "2026-03-02T23:59:59Z"},
        {"r<0 clamped to start", -0.5, "2026-02-01T00:00:00Z", false, "2026-03-01T00:00:00Z"},
        {"NaN clamped to start", std::nan(""), "2026-02-01T00:00:00Z", false, "2026-03-01T00:00:00Z"},
        {"inside, moment passed", 0.25, "2026-03-01T12:00:00Z", true, "2026-03-01T12:00:00Z"},
        {"inside, moment ahead", 0.75, "2026-03-01T12:00:00Z", false, "2026-03-02T12:00:00Z"},
        {"window over → now", 0.99, "2026-03-05T00:00:00Z", true, "2026-03-05T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        // renew_before is set on purpose: the CA's window wins over local configuration.
        const decision d = should_renew(&s, config(days{45}), at(r.now), w, r.r);
        CHECK(d.renew == r.renew);
        CHECK(d.schedule == renew_reason::ari_window);
        CHECK(d.reason == (r.renew ? renew_reason::ari_window : renew_reason::not_due));
        CHECK(format_rfc3339(d.renew_at) == r.renew_at);
    }
}

TEST_CASE("should_renew: an ARI window after expiry is capped at not_after") {
    const stored_info s = cert("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
    const ari_window w{at("2026-05-01T00:00:00Z"), at("2026-05-03T00:00:00Z"), "", at("2026-03-01T06:00:00Z")};
    const decision before = should_renew(&s, config(), at("2026-03-31T00:00:00Z"), w, 0.5);
    CHECK_FALSE(before.renew);
    CHECK(format_rfc3339(before.renew_at) == "2026-04-01T00:00:00Z");
    const decision after = should_renew(&s, config(), at("2026-04-01T00:00:00Z"), w, 0.5);
    CHECK(after.renew);
    CHECK(after.reason == renew_reason::expired);
}

TEST_CASE("should_renew: what the configuration asks for versus what is stored") {
    const sys_seconds now = at("2026-01-10T00:00:00Z");  // well before any schedule: only changes can trigger
    struct row {
        const char* what; std::vector<std::string> names; std::string key; std::string want_profile;
        std::string have_profile; bool renew; renew_reason reason; const char* detail;
    };
    const std::vector<std::string> same{"example.com", "www.example.com"};
    const row rows[] = {
        {"identical", same, "ec-p256", "", "classic", false, renew_reason::not_due, ""},
        {"order and case ignored", {"WWW.Example.com", "example.COM"}, "ec-p256", "", "classic", false,
         renew_reason::not_due, ""},
        {"duplicates ignored", {"example.com", "www.example.com", "example.com"}, "ec-p256", "", "classic", false,
         renew_reason::not_due, ""},
        {"name added", {"example.com", "www.example.com", "api.example.com"}, "ec-p256", "", "classic", true,
         renew_reason::names_changed, "added api.example.com"},
        {"name removed", {"example.com"}, "ec-p256", "", "classic", true, renew_reason::names_changed,
         "removed www.example.com"},
        {"name swapped", {"example.com", "a.example.com"}, "ec-p256", "", "classic", true,
         renew_reason::names_changed, "added a.example.com; removed www.example.com"},
        {"key type case ignored", same, "EC-P256", "", "classic", false, renew_reason::not_due, ""},
        {"key type changed", same, "rsa-2048", "", "classic", true, renew_reason::key_type_changed,
         "ec-p256 -> rsa-2048"},
        {"profile wanted, same", same, "ec-p256", "classic", "classic", false, renew_reason::not_due, ""},
        {"profile wanted, differs", same, "ec-p256", "tlsserver", "classic", true, renew_reason::profile_changed,
         "classic -> tlsserver"},
        {"profile wanted, unknown stored", same, "ec-p256", "shortlived", "", true, renew_reason::profile_changed,
         "(none) -> shortlived"},
        {"no profile wanted", same, "ec-p256", "", "shortlived", false, renew_reason::not_due, ""},
        {"names beat key type", {"other.example"}, "rsa-2048", "tlsserver", "classic", true,
         renew_reason::names_changed, "added other.example; removed example.com, www.example.com"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        stored_info s = cert("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
        s.profile = r.have_profile;
        const wanted w{r.names, r.key, std::nullopt, r.want_profile};
        const decision d = should_renew(&s, w, now, std::nullopt, 0.5);
        CHECK(d.renew == r.renew);
        CHECK(d.reason == r.reason);
        CHECK(d.detail == r.detail);
        if (r.renew) CHECK(d.renew_at == now);
    }
}

TEST_CASE("should_renew: no certificate, and changes win over expiry") {
    const sys_seconds now = at("2026-06-01T00:00:00Z");
    const decision missing = should_renew(nullptr, config(), now, std::nullopt, 0.5);
    CHECK(missing.renew);
    CHECK(missing.reason == renew_reason::missing);
    CHECK(missing.renew_at == now);

    const stored_info expired = cert("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z");
    const wanted rsa{{"example.com", "www.example.com"}, "rsa-3072", std::nullopt, ""};
    CHECK(should_renew(&expired, rsa, now, std::nullopt, 0.5).reason == renew_reason::key_type_changed);
    CHECK(should_renew(&expired, config(), now, std::nullopt, 0.5).reason == renew_reason::expired);
}

TEST_CASE("renew_reason names are stable (metrics labels)") {
    struct row { renew_reason r; const char* name; };
    const row rows[] = {
        {renew_reason::missing, "missing"},           {renew_reason::names_changed, "names_changed"},
        {renew_reason::key_type_changed, "key_type_changed"}, {renew_reason::profile_changed, "profile_changed"},
        {renew_reason::directory_changed, "directory_changed"},
        {renew_reason::expired, "expired"},           {renew_reason::lifetime_fraction, "lifetime_fraction"},
        {renew_reason::renew_before, "renew_before"}, {renew_reason::ari_window, "ari_window"},
        {renew_reason::not_due, "not_due"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        CHECK(std::string(to_string(r.r)) == r.name);
    }
}
