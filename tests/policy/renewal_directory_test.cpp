// Rule 5 of certman/policy/renewal.hpp: a certificate remembers the ACME directory that issued it, and a
// different configured directory (e.g. Let's Encrypt staging -> production) is a reason to order now.
#include <doctest/doctest.h>
#include "certman/core/rfc3339.hpp"
#include "certman/policy/renewal.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using namespace std::chrono;

namespace {
const std::string staging = "https://acme-staging-v02.api.letsencrypt.org/directory";
const std::string production = "https://acme-v02.api.letsencrypt.org/directory";

using certman::test::at;

stored_info issued_by(std::string directory) {
    stored_info s{{"example.com"}, "ec-p256", at("2026-01-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), ""};
    s.directory_url = std::move(directory);
    return s;
}

wanted configured(std::string directory) {
    wanted w{{"example.com"}, "ec-p256", std::nullopt, ""};
    w.directory_url = std::move(directory);
    return w;
}
}  // namespace

TEST_CASE("should_renew: a different ACME directory orders now; unknown on either side never does") {
    const sys_seconds now = at("2026-01-10T00:00:00Z");  // far from any schedule
    struct row { const char* what; std::string have; std::string want; bool renew; const char* detail; };
    const row rows[] = {
        {"staging -> production", staging, production, true,
         "https://acme-staging-v02.api.letsencrypt.org/directory -> https://acme-v02.api.letsencrypt.org/directory"},
        {"production -> staging", production, staging, true,
         "https://acme-v02.api.letsencrypt.org/directory -> https://acme-staging-v02.api.letsencrypt.org/directory"},
        {"same directory", production, production, false, ""},
        {"compared byte for byte: a trailing slash is another URL", production, production + "/", true,
         "https://acme-v02.api.letsencrypt.org/directory -> https://acme-v02.api.letsencrypt.org/directory/"},
        {"bundle from before the field (empty): taken to match", "", production, false, ""},
        {"no directory given by the caller: never triggers", staging, "", false, ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        const stored_info s = issued_by(r.have);
        const decision d = should_renew(&s, configured(r.want), now, std::nullopt, 0.5);
        CHECK(d.renew == r.renew);
        CHECK(d.reason == (r.renew ? renew_reason::directory_changed : renew_reason::not_due));
        CHECK(d.detail == r.detail);
        if (r.renew) {
            CHECK(d.renew_at == now);
            CHECK(d.explain().find("ACME directory changed (") != std::string::npos);
        }
    }
    CHECK(std::string(to_string(renew_reason::directory_changed)) == "directory_changed");
}

TEST_CASE("should_renew: directory_changed comes after names, key type and profile, before expiry") {
    const stored_info s = issued_by(staging);
    wanted w = configured(production);
    w.names = {"other.example"};
    CHECK(should_renew(&s, w, at("2026-01-10T00:00:00Z"), std::nullopt, 0.5).reason == renew_reason::names_changed);
    w = configured(production);
    w.profile = "shortlived";
    CHECK(should_renew(&s, w, at("2026-01-10T00:00:00Z"), std::nullopt, 0.5).reason == renew_reason::profile_changed);
    // Expired and from the other directory: the directory is named (it says more about what to fix).
    CHECK(should_renew(&s, configured(production), at("2026-05-01T00:00:00Z"), std::nullopt, 0.5).reason ==
          renew_reason::directory_changed);
}
