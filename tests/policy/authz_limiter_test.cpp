#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>
#include "certman/policy/authz_limiter.hpp"
#include "certman/core/rfc3339.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

namespace {
using certman::test::at;
std::string when(const std::optional<sys_seconds>& t) { return t ? format_rfc3339(*t) : "allowed"; }
}  // namespace

TEST_CASE("authz_limiter: refuses after 4 failures in an hour, until the oldest leaves the window") {
    // Failures of example.com at 10:00, 10:10, 10:20, 10:30.
    authz_limiter l;
    for (const char* t : {"2026-01-10T10:00:00Z", "2026-01-10T10:10:00Z", "2026-01-10T10:20:00Z"})
        l.record_failure("example.com", at(t));
    CHECK(when(l.refused_until("example.com", at("2026-01-10T10:25:00Z"))) == "allowed");  // 3 are fine
    l.record_failure("Example.COM", at("2026-01-10T10:30:00Z"));

    struct row { const char* name; const char* now; const char* want; std::size_t recent; };
    const row rows[] = {
        {"example.com", "2026-01-10T10:30:00Z", "2026-01-10T11:00:00Z", 4},
        {"EXAMPLE.com", "2026-01-10T10:59:59Z", "2026-01-10T11:00:00Z", 4},
        {"example.com", "2026-01-10T11:00:00Z", "allowed", 3},  // 10:00 has left the window
        {"example.com", "2026-01-10T12:00:00Z", "allowed", 0},
        {"www.example.com", "2026-01-10T10:30:00Z", "allowed", 0},  // other names are independent
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        CAPTURE(r.now);
        CHECK(when(l.refused_until(r.name, at(r.now))) == r.want);
        CHECK(l.recent_failures(r.name, at(r.now)) == r.recent);
    }

    // One more failure at 11:00 (allowed then) refuses again until 10:10's failure leaves.
    l.record_failure("example.com", at("2026-01-10T11:00:00Z"));
    CHECK(when(l.refused_until("example.com", at("2026-01-10T11:00:00Z"))) == "2026-01-10T11:10:00Z");
    CHECK(l.entries().at("example.com").size() == authz_limiter::max_failures);
}

TEST_CASE("authz_limiter: an order is refused until its latest-blocked name is free") {
    authz_limiter l;
    for (int i = 0; i < 4; ++i) {
        l.record_failure("a.example", at("2026-01-10T10:00:00Z") + minutes{i});
        l.record_failure("b.example", at("2026-01-10T10:20:00Z") + minutes{i});
    }
    const std::vector<std::string> order{"a.example", "b.example", "c.example"};
    CHECK(when(l.refused_until(order, at("2026-01-10T10:30:00Z"))) == "2026-01-10T11:20:00Z");
    CHECK(when(l.refused_until(std::vector<std::string>{"a.example", "c.example"}, at("2026-01-10T10:30:00Z"))) ==
          "2026-01-10T11:00:00Z");
    CHECK(when(l.refused_until(std::vector<std::string>{"c.example"}, at("2026-01-10T10:30:00Z"))) == "allowed");
    CHECK(when(l.refused_until(order, at("2026-01-10T11:20:00Z"))) == "allowed");
}

TEST_CASE("authz_limiter: a clock that went back blocks for at most one window") {
    authz_limiter l;
    for (int i = 0; i < 4; ++i) l.record_failure("example.com", at("2026-06-01T00:00:00Z") + minutes{i});
    // the clock now reads a month earlier: refuse for one hour from now, not for a month
    CHECK(when(l.refused_until("example.com", at("2026-05-01T00:00:00Z"))) == "2026-05-01T01:00:00Z");
}

TEST_CASE("authz_limiter: prune forgets what left the window") {
    authz_limiter l;
    l.record_failure("old.example", at("2026-01-10T08:00:00Z"));
    l.record_failure("mixed.example", at("2026-01-10T08:00:00Z"));
    l.record_failure("mixed.example", at("2026-01-10T09:30:00Z"));
    l.prune(at("2026-01-10T10:00:00Z"));
    CHECK(l.entries().count("old.example") == 0);
    REQUIRE(l.entries().count("mixed.example") == 1);
    CHECK(l.entries().at("mixed.example").size() == 1);
}

TEST_CASE("authz_limiter JSON: round trip and exact shape") {
    authz_limiter l;
    l.record_failure("b.example", at("2026-01-10T10:05:00Z"));
    l.record_failure("A.example", at("2026-01-10T10:00:00Z"));
    l.record_failure("b.example", at("2026-01-10T10:01:00Z"));  // out of order: stored sorted
    const std::string text = boost::json::serialize(to_json(l));
    CHECK(text == R"({"failures":{"a.example":["2026-01-10T10:00:00Z"],)"
                  R"("b.example":["2026-01-10T10:01:00Z","2026-01-10T10:05:00Z"]}})");
    const auto back = parse_authz_limiter(text);
    REQUIRE(back.has_value());
    CHECK(back->entries() == l.entries());

    // more than max_failures per name on disk: the newest four are kept
    const auto many = parse_authz_limiter(R"({"failures":{"X.example":["2026-01-10T10:05:00Z","2026-01-10T10:01:00Z",)"
                                          R"("2026-01-10T10:02:00Z","2026-01-10T10:03:00Z","2026-01-10T10:04:00Z"]}})");
    REQUIRE(many.has_value());
    REQUIRE(many->entries().count("x.example") == 1);
    CHECK(format_rfc3339(many->entries().at("x.example").front()) == "2026-01-10T10:02:00Z");
    CHECK(many->entries().at("x.example").size() == 4);
}

TEST_CASE("authz_limiter JSON: garbage is an error, never a crash") {
    const char* rows[] = {
        "", "{", "[]", "{}", R"({"failures":[]})", R"({"failures":{"a.example":"2026-01-10T10:00:00Z"}})",
        R"({"failures":{"a.example":[1]}})", R"({"failures":{"a.example":["soon"]}})",
        R"({"failures":{"":["2026-01-10T10:00:00Z"]}})",
    };
    for (const char* text : rows) {
        CAPTURE(text);
        const auto got = parse_authz_limiter(text);
        REQUIRE(got.has_error());
        CHECK(got.error() == certman::errc::parse_error);
    }
}
