// Metadata-service credential documents and the refresh schedule (reference §3.1).
#include "certman/cloud/alibaba/sts_credentials.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "certman/core/errc.hpp"
#include "certman/core/rfc3339.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;
using namespace std::chrono_literals;

namespace {
std::chrono::sys_seconds at(const char* t) { return *certman::parse_rfc3339(t); }
}  // namespace

TEST_CASE("parse_metadata_credentials reads the ECS document") {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/alibaba/slb/metadata_credentials.json");
    std::stringstream s;
    s << in.rdbuf();
    auto c = parse_metadata_credentials(s.str(), at("2017-10-31T23:20:05Z"));
    REQUIRE(c.has_value());
    CHECK(c->key.access_key_id == "STS.L4aBSCSJVMuKg5U1vFDw");
    CHECK(c->key.access_key_secret == "wyLTSmsyPGP1ohvvw8xYgB29dlGI8KMiH2pKCNZ9");
    CHECK(c->key.is_sts());
    CHECK(c->obtained_at == at("2017-10-31T23:20:05Z"));
    REQUIRE(c->expiration);
    CHECK(*c->expiration == at("2017-11-01T05:20:01Z"));
}

TEST_CASE("parse_metadata_credentials refuses incomplete documents") {
    const std::string good_tail = R"(,"Expiration":"2017-11-01T05:20:01Z"})";
    struct row {
        const char* name;
        std::string body;
        errc expected;
    };
    const row rows[] = {
        {"not JSON", "oops", errc::parse_error},
        {"Code Failed", R"({"Code":"Failed","AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"c")" + good_tail,
         errc::cloud_error},
        {"no Code", R"({"AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"c")" + good_tail, errc::cloud_error},
        {"no secret", R"({"Code":"Success","AccessKeyId":"a","SecurityToken":"c")" + good_tail, errc::parse_error},
        {"empty token", R"({"Code":"Success","AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"")" + good_tail,
         errc::parse_error},
        {"bad expiration",
         R"({"Code":"Success","AccessKeyId":"a","AccessKeySecret":"b","SecurityToken":"c","Expiration":"tomorrow"})",
         errc::parse_error},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        auto c = parse_metadata_credentials(r.body, at("2017-10-31T23:20:05Z"));
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error() == make_error_code(r.expected));
    }
}

TEST_CASE("parse_metadata_credentials: Expiration must be after now; a later one than 12 h is cut to 12 h") {
    const auto now = at("2025-01-01T00:00:00Z");
    const auto doc = [](const char* expiration) {
        return std::string(R"({"Code":"Success","AccessKeyId":"STS.a","AccessKeySecret":"b","SecurityToken":"c",)") +
               R"("Expiration":")" + expiration + R"("})";
    };
    for (const char* dead : {"1970-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z"}) {
        CAPTURE(dead);
        auto c = parse_metadata_credentials(doc(dead), now);
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error() == errc::protocol_error);
        CHECK(c.error().message() == std::string("Expiration ") + dead +
                                         " is not after now (2025-01-01T00:00:00Z): the credentials are dead on "
                                         "arrival; check the system clock (NTP) and the metadata service");
    }
    struct row {
        const char* expiration;
        std::chrono::sys_seconds kept;
    };
    const row rows[] = {{"2025-01-01T00:00:01Z", now + 1s},
                        {"2025-01-01T12:00:00Z", now + 12h},
                        {"2025-01-01T12:00:01Z", now + 12h},
                        {"9999-12-31T23:59:59Z", now + 12h}};
    for (const auto& r : rows) {
        CAPTURE(r.expiration);
        auto c = parse_metadata_credentials(doc(r.expiration), now);
        REQUIRE(c.has_value());
        CHECK(*c->expiration == r.kept);
        CHECK(needs_refresh(*c, r.kept));  // never cached past the cut
    }
}

TEST_CASE("refresh_time: a quarter of the lifetime or five minutes, whichever is smaller") {
    const auto t0 = at("2025-01-01T00:00:00Z");
    struct row {
        std::chrono::seconds lifetime;
        std::chrono::seconds ahead;  // how long before expiration the refresh happens
    };
    const row rows[] = {{6h, 5min}, {20min, 5min}, {19min, 285s}, {60s, 15s}, {8s, 2s}, {3s, 0s}, {0s, 0s}};
    for (const auto& r : rows) {
        CAPTURE(r.lifetime.count());
        CHECK(refresh_time(t0, t0 + r.lifetime) == t0 + r.lifetime - r.ahead);
    }
    CHECK(refresh_time(t0, t0 - 10s) == t0);  // already expired by our clock: refresh now
}

TEST_CASE("needs_refresh") {
    const auto t0 = at("2025-01-01T00:00:00Z");
    expiring_credentials sts{{"STS.a", "s", "t"}, t0, t0 + 60s};
    CHECK_FALSE(needs_refresh(sts, t0));
    CHECK_FALSE(needs_refresh(sts, t0 + 44s));
    CHECK(needs_refresh(sts, t0 + 45s));
    CHECK(needs_refresh(sts, t0 + 2h));
    expiring_credentials static_key{{"LTAI", "s", ""}, t0, std::nullopt};
    CHECK_FALSE(needs_refresh(static_key, t0 + 24h * 365));
}
