#include <doctest/doctest.h>
#include "certman/acme/order.hpp"
#include <chrono>
#include "fixture.hpp"

using namespace certman::acme;
using certman::acme::test::fixture;

TEST_CASE("parse_order: Pebble shapes in every status") {
    struct row { const char* file; status want; bool has_cert; bool has_error; };
    const row rows[] = {
        {"order_pending.json", status::pending, false, false},
        {"order_ready.json", status::ready, false, false},
        {"order_processing.json", status::processing, false, false},
        {"order_valid.json", status::valid, true, false},
        {"order_invalid.json", status::invalid, false, true},
    };
    for (const auto& r : rows) {
        CAPTURE(r.file);
        const auto o = parse_order(fixture(r.file));
        REQUIRE(o.has_value());
        CHECK(o->status == r.want);
        CHECK(o->certificate.has_value() == r.has_cert);
        CHECK(o->error.has_value() == r.has_error);
        CHECK(o->identifiers == std::vector<identifier>{identifier::dns("a.example.org"), identifier::dns("b.example.org")});
        CHECK(o->authorizations.size() == 2);
        CHECK(o->finalize == "https://127.0.0.1:14000/finalize-order/ORD1");
        using namespace std::chrono;
        CHECK(o->expires == sys_days{2025y / March / 8} + 10h + 11min + 12s);
    }
}

TEST_CASE("parse_order: error, profile and replaces") {
    const auto bad = parse_order(fixture("order_invalid.json"));
    REQUIRE(bad.has_value());
    CHECK(is(*bad->error, "unauthorized"));
    CHECK(bad->error->status == 403);
    const auto p = parse_order(fixture("order_profile_replaces.json"));
    REQUIRE(p.has_value());
    CHECK(p->profile == "shortlived");
    CHECK(p->replaces == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

TEST_CASE("parse_order: expires in every RFC 3339 form, saturated outside system_clock's range") {
    using namespace std::chrono;
    using tp = system_clock::time_point;
    const std::string base = R"("identifiers":[{"type":"dns","value":"a"}],"authorizations":["u"],"finalize":"f")";
    struct row { const char* expires; tp want; };
    const row rows[] = {
        {"2025-03-08T10:11:12.123456789Z", sys_days{2025y / March / 8} + 10h + 11min + 12s + 123456us},
        {"2025-03-08T11:11:12+01:00", sys_days{2025y / March / 8} + 10h + 11min + 12s},
        {"2261-12-31T23:59:59Z", sys_days{2261y / December / 31} + 23h + 59min + 59s},
        {"9999-12-31T23:59:59Z", tp::max()},  // nanosecond clock ends in 2262: no wrap into the past
        {"0000-01-01T00:00:00Z", tp::min()},
    };
    for (const auto& r : rows) {
        CAPTURE(r.expires);
        const auto o = parse_order(R"({"status":"pending","expires":")" + std::string(r.expires) + "\"," + base + "}");
        REQUIRE(o.has_value());
        CHECK(o->expires == r.want);
    }
}

TEST_CASE("parse_order: wrong types and missing fields") {
    const std::string base = R"("identifiers":[{"type":"dns","value":"a"}],"authorizations":["u"],"finalize":"f")";
    struct row { std::string json; const char* why; };
    const row rows[] = {
        {"{" + base + "}", "order: field \"status\" is missing"},
        {R"({"status":"pending","authorizations":["u"],"finalize":"f"})", "order: field \"identifiers\" is missing"},
        {R"({"status":"pending","identifiers":[{"type":"dns"}],"authorizations":["u"],"finalize":"f"})",
         "order identifier: field \"value\" is missing"},
        {R"({"status":"pending","identifiers":["a"],"authorizations":["u"],"finalize":"f"})",
         "order: field \"identifiers\" has a non-object element"},
        {R"({"status":"pending",)" + base + R"(,"authorizations":"u"})", "order: field \"authorizations\" is not an array"},
        {R"({"status":"pending","identifiers":[],"authorizations":[3],"finalize":"f"})",
         "order: field \"authorizations\" has a non-string element"},
        {R"({"status":"pending","identifiers":[],"authorizations":[]})", "order: field \"finalize\" is missing"},
        {R"({"status":"pending","expires":"tomorrow",)" + base + "}",
         "order: field \"expires\" is not an RFC 3339 timestamp: \"tomorrow\""},
        {R"({"status":"pending","certificate":null,)" + base + "}", "order: field \"certificate\" is not a string"},
        {R"({"status":"pending","error":"boom",)" + base + "}", "order: field \"error\" is not an object"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.json);
        const auto o = parse_order(r.json);
        REQUIRE(o.has_error());
        CHECK(o.error() == certman::errc::parse_error);
        CHECK(o.error().message() == r.why);
    }
}
