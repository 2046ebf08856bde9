#include <doctest/doctest.h>
#include "certman/policy/renewal.hpp"
#include "certman/core/rfc3339.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

namespace {
using certman::test::at;

const stored_info days90{{"example.com"}, "ec-p256", at("2026-01-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), ""};
const stored_info days6{{"example.com"}, "ec-p256", at("2026-01-01T00:00:00Z"), at("2026-01-07T16:00:00Z"), ""};
const ari_window window{at("2026-03-01T00:00:00Z"), at("2026-03-03T00:00:00Z"), "", at("2026-02-01T06:00:00Z")};
const ari_window incident{at("2026-01-14T22:00:00Z"), at("2026-01-14T22:30:00Z"),
                          "https://community.example.org/t/incident", at("2026-01-15T04:00:00Z")};

wanted want(std::optional<seconds> before = std::nullopt, std::vector<std::string> names = {"example.com"},
            std::string key = "ec-p256", std::string profile = "") {
    return {std::move(names), std::move(key), before, std::move(profile)};
}
}  // namespace

TEST_CASE("decision::explain: one sentence per branch") {
    struct row {
        const char* what; const stored_info* s; wanted w; const char* now; std::optional<ari_window> ari;
        const char* want;
    };
    const row rows[] = {
        {"missing", nullptr, want(), "2026-01-10T00:00:00Z", std::nullopt, "renew: no certificate stored"},
        {"names", &days90, want(std::nullopt, {"example.com", "api.example.com"}), "2026-01-10T00:00:00Z",
         std::nullopt, "renew: names changed (added api.example.com)"},
        {"key type", &days90, want(std::nullopt, {"example.com"}, "rsa-2048"), "2026-01-10T00:00:00Z", std::nullopt,
         "renew: key type changed (ec-p256 -> rsa-2048)"},
        {"profile", &days90, want(std::nullopt, {"example.com"}, "ec-p256", "tlsserver"), "2026-01-10T00:00:00Z",
         std::nullopt, "renew: profile changed ((none) -> tlsserver)"},
        {"expired", &days90, want(), "2026-04-02T00:00:00Z", std::nullopt,
         "renew: expired on 2026-04-01T00:00:00Z"},
        {"90d due", &days90, want(), "2026-03-03T00:00:00Z", std::nullopt,
         "renew: 29 days of 90 left, under the 1/3 threshold"},
        {"90d not due", &days90, want(), "2026-01-10T00:00:00Z", std::nullopt,
         "not due: renews on 2026-03-02T00:00:00Z (1/3 of lifetime left)"},
        {"6d due", &days6, want(), "2026-01-05T00:00:00Z", std::nullopt,
         "renew: 64 hours of 160 left, under the 1/2 threshold"},
        {"6d not due", &days6, want(), "2026-01-02T00:00:00Z", std::nullopt,
         "not due: renews on 2026-01-04T08:00:00Z (1/2 of lifetime left)"},
        {"6d, renew_before ignored", &days6, want(days{30}), "2026-01-02T00:00:00Z", std::nullopt,
         "not due: renews on 2026-01-04T08:00:00Z (1/2 of lifetime left; renew_before of 30 days ignored: not "
         "shorter than the lifetime (6 days))"},
        {"renew_before not due", &days90, want(days{10}), "2026-01-10T00:00:00Z", std::nullopt,
         "not due: renews on 2026-03-22T00:00:00Z (10 days before expiry, renew_before)"},
        {"renew_before due", &days90, want(days{10}), "2026-03-25T00:00:00Z", std::nullopt,
         "renew: 7 days left, within renew_before of 10 days"},
        {"renew_before due, hours left", &days90, want(days{10}), "2026-03-31T20:30:00Z", std::nullopt,
         "renew: 3 hours left, within renew_before of 10 days"},
        {"ARI not due", &days90, want(), "2026-01-10T00:00:00Z", window,
         "not due: renews on 2026-03-02T00:00:00Z (a random moment in the CA's suggested window "
         "2026-03-01T00:00:00Z to 2026-03-03T00:00:00Z)"},
        {"ARI due, with explanation", &days90, want(), "2026-01-15T00:00:00Z", incident,
         "renew: reached the CA's suggested window 2026-01-14T22:00:00Z to 2026-01-14T22:30:00Z (ARI), "
         "see https://community.example.org/t/incident"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(should_renew(r.s, r.w, at(r.now), r.ari, 0.5).explain() == r.want);
    }
}

TEST_CASE("next_check: earliest of due time, regular interval and ARI poll; never in the past") {
    const sys_seconds now = at("2026-01-10T00:00:00Z");
    const decision not_due = should_renew(&days90, want(), now, std::nullopt, 0.5);  // due 2026-03-02
    const decision due = should_renew(nullptr, want(), now, std::nullopt, 0.5);
    const decision soon = should_renew(&days90, want(), at("2026-03-01T23:00:00Z"), std::nullopt, 0.5);
    struct row {
        const char* what; const decision* d; sys_seconds now; seconds interval; std::optional<sys_seconds> poll;
        const char* want;
    };
    const row rows[] = {
        {"due now", &due, now, hours{12}, std::nullopt, "2026-01-10T00:00:00Z"},
        {"interval first", &not_due, now, hours{12}, std::nullopt, "2026-01-10T12:00:00Z"},
        {"ARI poll first", &not_due, now, hours{12}, at("2026-01-10T06:00:00Z"), "2026-01-10T06:00:00Z"},
        {"ARI poll later", &not_due, now, hours{12}, at("2026-01-11T06:00:00Z"), "2026-01-10T12:00:00Z"},
        {"renew_at first", &soon, at("2026-03-01T23:00:00Z"), hours{12}, std::nullopt, "2026-03-02T00:00:00Z"},
        {"stale ARI poll → now", &not_due, now, hours{12}, at("2026-01-01T00:00:00Z"), "2026-01-10T00:00:00Z"},
        {"negative interval → now", &not_due, now, -hours{1}, std::nullopt, "2026-01-10T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(format_rfc3339(next_check(*r.d, r.now, r.interval, r.poll)) == r.want);
    }
}
