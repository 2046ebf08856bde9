#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>
#include "certman/policy/backoff.hpp"
#include "certman/core/rfc3339.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

using certman::test::at;

TEST_CASE("backoff: 1 min, 10 min, 100 min, then daily, jittered ±10%") {
    const sys_seconds t0 = at("2026-01-10T00:00:00Z");
    struct row { int failures; double r; const char* want; };
    const row rows[] = {
        {1, 0.5, "2026-01-10T00:01:00Z"},   // factor 1.0
        {1, 0.0, "2026-01-10T00:00:54Z"},   // factor 0.9
        {1, 0.99, "2026-01-10T00:01:05Z"},  // factor 1.098 → 65.88 s, rounded down
        {2, 0.5, "2026-01-10T00:10:00Z"},
        {2, 0.0, "2026-01-10T00:09:00Z"},
        {3, 0.5, "2026-01-10T01:40:00Z"},
        {3, 0.0, "2026-01-10T01:30:00Z"},
        {4, 0.5, "2026-01-11T00:00:00Z"},
        {4, 0.0, "2026-01-10T21:36:00Z"},   // 24 h × 0.9
        {4, 1.0, "2026-01-11T02:24:00Z"},   // clamped into [0, 1): at most 26.4 h
        {4, -3.0, "2026-01-10T21:36:00Z"},  // clamped to 0
        {50, 0.5, "2026-01-11T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.failures);
        CAPTURE(r.r);
        failure_state s;
        s.consecutive_failures = r.failures;
        s.last_failure = t0;
        CHECK(format_rfc3339(next_attempt(s, r.r)) == r.want);
    }
    CHECK(backoff_delay(0) == seconds{0});
    CHECK(backoff_delay(-1) == seconds{0});
}

TEST_CASE("backoff: never before the CA's Retry-After") {
    const sys_seconds t0 = at("2026-01-10T00:00:00Z");
    struct row { const char* what; int failures; std::optional<sys_seconds> retry_after; const char* want; };
    const row rows[] = {
        {"retry_after later wins", 1, at("2026-01-10T03:00:00Z"), "2026-01-10T03:00:00Z"},
        {"retry_after earlier loses", 4, at("2026-01-10T03:00:00Z"), "2026-01-11T00:00:00Z"},
        {"no failures, retry_after", 0, at("2026-01-10T03:00:00Z"), "2026-01-10T03:00:00Z"},
        {"no failures at all", 0, std::nullopt, "1970-01-01T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        const failure_state s{r.failures, r.failures ? t0 : sys_seconds{}, r.retry_after, ""};
        CHECK(format_rfc3339(next_attempt(s, 0.5)) == r.want);
    }
}

TEST_CASE("record_failure / record_success walk the schedule") {
    failure_state s;
    record_failure(s, at("2026-01-10T00:00:00Z"), "urn:ietf:params:acme:error:connection");
    CHECK(s.consecutive_failures == 1);
    CHECK(format_rfc3339(next_attempt(s, 0.5)) == "2026-01-10T00:01:00Z");
    record_failure(s, at("2026-01-10T00:01:00Z"), "timeout", at("2026-01-10T05:00:00Z"));
    CHECK(s.consecutive_failures == 2);
    CHECK(s.last_error == "timeout");
    CHECK(format_rfc3339(next_attempt(s, 0.5)) == "2026-01-10T05:00:00Z");
    // forced early retry fails without Retry-After: the CA's earlier answer still stands
    record_failure(s, at("2026-01-10T00:02:00Z"), "forced");
    REQUIRE(s.retry_after);
    CHECK(format_rfc3339(*s.retry_after) == "2026-01-10T05:00:00Z");
    // a later failure after that moment drops the stale Retry-After
    record_failure(s, at("2026-01-10T06:00:00Z"), "again");
    CHECK_FALSE(s.retry_after);
    CHECK(s.consecutive_failures == 4);
    CHECK(format_rfc3339(next_attempt(s, 0.5)) == "2026-01-11T06:00:00Z");
    // a new, earlier Retry-After replaces an older, later one only once that one has passed
    record_failure(s, at("2026-01-11T06:00:00Z"), "rate limited", at("2026-01-12T00:00:00Z"));
    record_failure(s, at("2026-01-11T07:00:00Z"), "rate limited", at("2026-01-11T08:00:00Z"));
    CHECK(format_rfc3339(*s.retry_after) == "2026-01-12T00:00:00Z");

    record_success(s);
    CHECK(s.consecutive_failures == 0);
    CHECK_FALSE(s.retry_after);
    CHECK(s.last_error.empty());
    record_failure(s, at("2026-02-01T00:00:00Z"), "x");
    CHECK(format_rfc3339(next_attempt(s, 0.5)) == "2026-02-01T00:01:00Z");
}

TEST_CASE("record_failure keeps last_error short and valid UTF-8") {
    struct row { const char* what; std::string in; std::string want; };
    const row rows[] = {
        {"ascii", "boom", "boom"},
        {"utf-8 kept", "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
        {"invalid bytes", "a\xff" "b\xc3", "a?b?"},
        {"overlong encoding", "\xc0\xaf", "??"},
        {"surrogate", "\xed\xa0\x80", "???"},
        {"long cut", std::string(600, 'x'), std::string(max_error_bytes, 'x')},
        {"cut on a boundary", std::string(max_error_bytes - 1, 'x') + "\xc3\xa9", std::string(max_error_bytes - 1, 'x')},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        failure_state s;
        record_failure(s, sys_seconds{}, r.in);
        CHECK(s.last_error == r.want);
        // whatever was stored must survive a round trip through JSON text
        const auto back = parse_failure_state(boost::json::serialize(to_json(s)));
        REQUIRE(back.has_value());
        CHECK(back->last_error == r.want);
    }
}

TEST_CASE("failure_state JSON: round trip and exact shape") {
    const failure_state s{3, at("2026-01-10T00:00:00Z"), at("2026-01-10T05:00:00Z"), "rateLimited: \"too many\""};
    CHECK(boost::json::serialize(to_json(s)) ==
          R"({"consecutive_failures":3,"last_failure":"2026-01-10T00:00:00Z","retry_after":"2026-01-10T05:00:00Z",)"
          R"("last_error":"rateLimited: \"too many\""})");
    const auto back = parse_failure_state(boost::json::serialize(to_json(s)));
    REQUIRE(back.has_value());
    CHECK(back->consecutive_failures == 3);
    CHECK(back->last_failure == s.last_failure);
    CHECK(back->retry_after == s.retry_after);
    CHECK(back->last_error == s.last_error);

    const auto none = parse_failure_state(
        R"({"consecutive_failures":0,"last_failure":"1970-01-01T00:00:00Z","last_error":"","future":1})");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->retry_after);
    const auto null_retry = parse_failure_state(
        R"({"consecutive_failures":1,"last_failure":"1970-01-01T00:00:00Z","retry_after":null,"last_error":""})");
    REQUIRE(null_retry.has_value());
    CHECK_FALSE(null_retry->retry_after);
}

TEST_CASE("failure_state JSON: garbage is an error, never a crash") {
    const char* rows[] = {
        "",
        "not json",
        "[]",
        "null",
        "{}",
        R"({"consecutive_failures":1,"last_failure":"2026-01-10T00:00:00Z"})",
        R"({"consecutive_failures":"1","last_failure":"2026-01-10T00:00:00Z","last_error":""})",
        R"({"consecutive_failures":1.5,"last_failure":"2026-01-10T00:00:00Z","last_error":""})",
        R"({"consecutive_failures":-1,"last_failure":"2026-01-10T00:00:00Z","last_error":""})",
        R"({"consecutive_failures":99999999999,"last_failure":"2026-01-10T00:00:00Z","last_error":""})",
        R"({"consecutive_failures":18446744073709551615,"last_failure":"2026-01-10T00:00:00Z","last_error":""})",
        R"({"consecutive_failures":1,"last_failure":"yesterday","last_error":""})",
        R"({"consecutive_failures":1,"last_failure":"2026-01-10T00:00:00Z","retry_after":5,"last_error":""})",
        R"({"consecutive_failures":1,"last_failure":"2026-01-10T00:00:00Z","last_error":null})",
        "{\"consecutive_failures\":1,\"last_failure\":\"2026-01-10T00:00:00Z\",\"last_error\":\"\xff\"}",
        R"({"consecutive_failures":1,"last_failure":"2026-01-10T00:00:00Z","last_error":""} trailing)",
    };
    for (const char* text : rows) {
        CAPTURE(text);
        const auto got = parse_failure_state(text);
        REQUIRE(got.has_error());
        CHECK(got.error() == certman::errc::parse_error);
    }
}

TEST_CASE("record_failure: a CA's Retry-After is obeyed up to 7 days, no further") {
    const sys_seconds t0 = at("2026-01-10T00:00:00Z");
    CHECK(max_retry_after == days{7});
    struct row { const char* what; seconds wait; const char* want; };
    const row rows[] = {
        {"an hour", hours{1}, "2026-01-10T01:00:00Z"},
        {"7 days minus 1 s", days{7} - seconds{1}, "2026-01-16T23:59:59Z"},
        {"7 days", days{7}, "2026-01-17T00:00:00Z"},
        {"7 days plus 1 s", days{7} + seconds{1}, "2026-01-17T00:00:00Z"},
        {"10,000 years", hours{24 * 366} * 10000, "2026-01-17T00:00:00Z"},
        {"2^32 s (acme::max_retry_after)", seconds{std::int64_t{1} << 32}, "2026-01-17T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        failure_state s;
        record_failure(s, t0, "rateLimited", t0 + r.wait);
        REQUIRE(s.retry_after);
        CHECK(format_rfc3339(*s.retry_after) == r.want);
        CHECK(format_rfc3339(next_attempt(s, 0.5)) == r.want);
    }
}

TEST_CASE("failure_state JSON: a stored retry_after is read capped at last_failure + 7 days") {
    struct row { const char* retry_after; const char* want; };
    const row rows[] = {
        {"9999-12-31T23:59:59Z", "2026-01-17T00:00:00Z"},  // what certman used to store for "10,000 years"
        {"2026-01-17T00:00:01Z", "2026-01-17T00:00:00Z"},
        {"2026-01-17T00:00:00Z", "2026-01-17T00:00:00Z"},
        {"2026-01-16T23:59:59Z", "2026-01-16T23:59:59Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.retry_after);
        auto s = parse_failure_state(std::string(R"({"consecutive_failures":1,"last_failure":"2026-01-10T00:00:00Z",)") +
                                     R"("retry_after":")" + r.retry_after + R"(","last_error":""})");
        REQUIRE(s.has_value());
        REQUIRE(s->retry_after);
        CHECK(format_rfc3339(*s->retry_after) == r.want);
    }
}
