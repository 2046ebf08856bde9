#include <doctest/doctest.h>
#include "certman/app/cert_state.hpp"
#include "certman/core/rfc3339.hpp"

using namespace certman;

TEST_CASE("cert_state: the ARI window and poll time survive a round trip") {
    app::cert_state s;
    s.random01 = 0.25;
    s.ari = policy::ari_window{parse_rfc3339("2026-03-01T00:00:00Z").value(), parse_rfc3339("2026-03-02T00:00:00Z").value(),
                               "https://ca.example/why", parse_rfc3339("2026-02-20T18:00:00Z").value()};
    s.ari_cert_id = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
    s.ari_next_poll = parse_rfc3339("2026-02-20T18:00:00Z").value();
    auto back = app::parse_cert_state(app::to_json(s));
    REQUIRE(back.has_value());
    REQUIRE(back->ari.has_value());
    CHECK(back->ari->start == s.ari->start);
    CHECK(back->ari->end == s.ari->end);
    CHECK(back->ari->explanation_url == "https://ca.example/why");
    CHECK(back->ari_cert_id == s.ari_cert_id);
    CHECK(back->ari_next_poll == s.ari_next_poll);
    CHECK(back->random01 == 0.25);
}

TEST_CASE("cert_state: a failed renewalInfo fetch keeps its poll time without a window") {
    // The CA answered 500 or nonsense: no window, but renewalInfo must not be asked again before next_poll.
    app::cert_state s;
    s.ari_cert_id = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
    s.ari_next_poll = parse_rfc3339("2026-02-20T13:00:00Z").value();
    auto back = app::parse_cert_state(app::to_json(s));
    REQUIRE(back.has_value());
    CHECK_FALSE(back->ari.has_value());
    CHECK(back->ari_cert_id == s.ari_cert_id);
    CHECK(back->ari_next_poll == s.ari_next_poll);
}

TEST_CASE("cert_state: documents written before ari_next_poll existed, and garbled ones") {
    const auto old = app::parse_cert_state(
        R"({"random01":0.5,"ari":{"start":"2026-03-01T00:00:00Z","end":"2026-03-02T00:00:00Z",)"
        R"("next_poll":"2026-02-20T18:00:00Z","explanation_url":"","cert_id":"X.AQ"}})");
    REQUIRE(old.has_value());
    CHECK(old->ari_cert_id == "X.AQ");
    CHECK(old->ari_next_poll == parse_rfc3339("2026-02-20T18:00:00Z").value());
    CHECK(app::parse_cert_state("{}").value().ari_next_poll == std::chrono::sys_seconds{});
    CHECK(app::parse_cert_state(R"({"ari_cert_id":"X.AQ","ari_next_poll":"soon"})").has_error());
    CHECK(app::parse_cert_state(R"({"ari_cert_id":"X.AQ"})").has_error());
}

TEST_CASE("cert_state: a stored rateLimited retry_after of 10,000 years is read as 7 days after the failure") {
    // What certman wrote before the cap (fleet-wide in cluster mode): the state must not park the certificate.
    auto s = app::parse_cert_state(
        R"({"failures":{"consecutive_failures":1,"last_failure":"2026-12-02T16:00:00Z",)"
        R"("retry_after":"9999-12-31T23:59:59Z","last_error":"rateLimited"}})");
    REQUIRE(s.has_value());
    REQUIRE(s->failures.retry_after.has_value());
    CHECK(format_rfc3339(*s->failures.retry_after) == "2026-12-09T16:00:00Z");
}

TEST_CASE("cert_state: attempt_started survives a round trip; absent in older documents") {
    app::cert_state s;
    s.attempt_started = parse_rfc3339("2026-05-01T12:00:00Z").value();
    auto back = app::parse_cert_state(app::to_json(s));
    REQUIRE(back.has_value());
    CHECK(back->attempt_started == s.attempt_started);
    auto old = app::parse_cert_state(R"({"random01":0.5})");
    REQUIRE(old.has_value());
    CHECK_FALSE(old->attempt_started);
    CHECK(app::to_json(app::cert_state{}).find("attempt_started") == std::string::npos);
}
