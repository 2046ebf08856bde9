// stored_info_of / wanted_of (src/app/order_results.hpp): the daemon's pass and `certman status` decide with
// the same inputs, the configured directory included (a switch from staging to production re-orders).
#include <doctest/doctest.h>
#include "../../src/app/order_results.hpp"
#include "certman/core/rfc3339.hpp"

using namespace certman;

namespace {
std::chrono::sys_seconds at(const char* s) { return *parse_rfc3339(s); }
}  // namespace

TEST_CASE("stored_info_of carries every field the renewal policy compares, the issuing directory too") {
    storage::certificate_bundle b;
    b.names = {"www.example.test", "example.test"};
    b.key_type = "rsa2048";
    b.not_before = at("2026-12-01T00:00:00Z");
    b.not_after = at("2027-03-01T00:00:00Z");
    b.profile = "tlsserver";
    b.directory_url = "https://acme-staging-v02.api.letsencrypt.org/directory";
    const auto info = app::stored_info_of(b);
    CHECK(info.names == b.names);
    CHECK(info.key_type == "rsa2048");
    CHECK(info.not_before == b.not_before);
    CHECK(info.not_after == b.not_after);
    CHECK(info.profile == "tlsserver");
    CHECK(info.directory_url == b.directory_url);
}

TEST_CASE("wanted_of: the certificate's renew_before wins over [renewal]'s; the configured directory is wanted") {
    app::config cfg;
    cfg.acme.directory = "https://acme-v02.api.letsencrypt.org/directory";
    cfg.renewal.renew_before = std::chrono::seconds(7 * 86400);
    app::certificate_config c;
    c.domains = {"www.example.test"};
    c.key_type = "ec256";
    c.profile = "shortlived";
    auto w = app::wanted_of(cfg, c);
    CHECK(w.names == c.domains);
    CHECK(w.key_type == "ec256");
    CHECK(w.profile == "shortlived");
    CHECK(w.directory_url == cfg.acme.directory);
    REQUIRE(w.renew_before.has_value());
    CHECK(w.renew_before->count() == 7 * 86400);
    c.renew_before = std::chrono::seconds(3600);
    w = app::wanted_of(cfg, c);
    CHECK(w.renew_before->count() == 3600);
}

TEST_CASE("a certificate from another directory is due, as the daemon and `certman status` both see it") {
    app::config cfg;
    cfg.acme.directory = "https://acme-v02.api.letsencrypt.org/directory";
    app::certificate_config c;
    c.domains = {"www.example.test"};
    c.key_type = "ec256";
    storage::certificate_bundle b;
    b.names = c.domains;
    b.key_type = "ec256";
    b.not_before = at("2026-12-01T00:00:00Z");
    b.not_after = at("2027-03-01T00:00:00Z");
    b.directory_url = "https://acme-staging-v02.api.letsencrypt.org/directory";
    const auto now = at("2026-12-02T00:00:00Z");
    const auto info = app::stored_info_of(b);
    CHECK(policy::should_renew(&info, app::wanted_of(cfg, c), now, std::nullopt, 0.5).renew);
    b.directory_url = cfg.acme.directory;
    const auto same = app::stored_info_of(b);
    CHECK_FALSE(policy::should_renew(&same, app::wanted_of(cfg, c), now, std::nullopt, 0.5).renew);
}
