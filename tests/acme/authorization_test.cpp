#include <doctest/doctest.h>
#include "certman/acme/authorization.hpp"
#include <chrono>
#include "fixture.hpp"

using namespace certman::acme;
using certman::acme::test::fixture;

TEST_CASE("parse_authorization: Pebble offers three challenges") {
    const auto a = parse_authorization(fixture("authz_a_pending.json"));
    REQUIRE(a.has_value());
    CHECK(a->identifier == identifier::dns("a.example.org"));
    CHECK(a->status == status::pending);
    CHECK_FALSE(a->wildcard);
    REQUIRE(a->challenges.size() == 3);
    const challenge* http = find_challenge(*a, "http-01");
    REQUIRE(http);
    CHECK(http->url == "https://127.0.0.1:14000/chalZ/a-http");
    CHECK(http->token == "yfCBb-bRTLz8Wd1C0lTUQK3qlKj3-t2tYGwx5Hj7r_w");
    CHECK(http->status == status::pending);
    CHECK(find_challenge(*a, "dns-01"));
    CHECK(find_challenge(*a, "tls-alpn-01"));
    CHECK_FALSE(find_challenge(*a, "dns-account-01"));
}

TEST_CASE("parse_authorization: valid, invalid and wildcard") {
    const auto v = parse_authorization(fixture("authz_b_valid.json"));
    REQUIRE(v.has_value());
    using namespace std::chrono;
    CHECK(v->challenges.at(0).validated == sys_days{2025y / March / 1} + 10h + 11min + 16s + 520ms);  // "…16.52Z"
    const auto bad = parse_authorization(fixture("authz_b_invalid.json"));
    REQUIRE(bad.has_value());
    CHECK(bad->status == status::invalid);
    REQUIRE(bad->challenges.at(0).error);
    CHECK(is(*bad->challenges[0].error, "connection"));
    const auto w = parse_authorization(fixture("authz_wildcard.json"));
    REQUIRE(w.has_value());
    CHECK(w->wildcard);
    CHECK(w->identifier.value == "example.org");
}

TEST_CASE("parse_challenge and errors") {
    const auto c = parse_challenge(fixture("challenge_b_invalid.json"));
    REQUIRE(c.has_value());
    CHECK(c->status == status::invalid);
    CHECK(is(*c->error, "unauthorized"));
    struct row { const char* json; const char* why; };
    const row rows[] = {
        {R"({"url":"u","status":"pending"})", "challenge: field \"type\" is missing"},
        {R"({"type":"http-01","url":"u","status":"pending","token":7})", "challenge: field \"token\" is not a string"},
        {R"({"type":"http-01","url":"u","status":"done"})", "challenge: field \"status\" has unknown value \"done\""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.json);
        const auto c = parse_challenge(r.json);
        REQUIRE(c.has_error());
        CHECK(c.error().message() == r.why);
    }
    const row authz_rows[] = {
        {R"({"status":"pending","challenges":[]})", "authorization: field \"identifier\" is missing"},
        {R"({"identifier":{"type":"dns","value":"a"},"status":"pending"})",
         "authorization: field \"challenges\" is missing"},
        {R"({"identifier":{"type":"dns","value":"a"},"status":"pending","challenges":[1]})",
         "authorization: field \"challenges\" has a non-object element"},
        {R"({"identifier":{"type":"dns","value":"a"},"status":"pending","wildcard":"no","challenges":[]})",
         "authorization: field \"wildcard\" is not a boolean"},
        {R"({"identifier":{"type":"dns","value":"a"},"status":"pending","challenges":[{"type":"x","url":"u"}]})",
         "challenge: field \"status\" is missing"},
    };
    for (const auto& r : authz_rows) {
        CAPTURE(r.json);
        const auto z = parse_authorization(r.json);
        REQUIRE(z.has_error());
        CHECK(z.error().message() == r.why);
    }
}
