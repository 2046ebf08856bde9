#include <doctest/doctest.h>
#include "certman/net/router.hpp"

using namespace certman::net;

TEST_CASE("route_public: the table of routes, methods and statuses") {
    challenge_store store;
    REQUIRE(store.put("tok_EN-1", "tok_EN-1.thumbprint"));
    struct row { const char* method; const char* target; unsigned status; const char* body; route_id route; };
    const row rows[] = {
        {"GET", "/health", 200, "OK", route_id::health},
        {"HEAD", "/health", 200, "OK", route_id::health},
        {"GET", "/health?probe=slb", 200, "OK", route_id::health},
        {"POST", "/health", 405, "method not allowed\n", route_id::method_not_allowed},
        {"GET", "/.well-known/acme-challenge/tok_EN-1", 200, "tok_EN-1.thumbprint", route_id::challenge},
        {"HEAD", "/.well-known/acme-challenge/tok_EN-1", 200, "tok_EN-1.thumbprint", route_id::challenge},
        {"DELETE", "/.well-known/acme-challenge/tok_EN-1", 405, "method not allowed\n", route_id::method_not_allowed},
        {"GET", "/.well-known/acme-challenge/unknown", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/acme-challenge/", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/acme-challenge/../../etc/passwd", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/acme-challenge/%2e%2e%2fhealth", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/acme-challenge/tok_EN-1/", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/acme-challenge/tok_EN-1%00", 404, "not found\n", route_id::not_found},
        {"GET", "/.well-known/", 200, nullptr, route_id::well_known},
        {"GET", "/", 404, "not found\n", route_id::not_found},
        {"GET", "/healthz", 404, "not found\n", route_id::not_found},
        {"PUT", "/anything", 404, "not found\n", route_id::not_found},
        {"GET", "/metrics", 404, "not found\n", route_id::not_found},
        {"GET", "/status", 404, "not found\n", route_id::not_found},
    };
    for (const auto& r : rows) {
        CAPTURE(r.method);
        CAPTURE(r.target);
        auto res = route_public(r.method, r.target, store);
        CHECK(res.status == r.status);
        CHECK(res.route == r.route);
        if (r.body) CHECK(res.body == r.body);
        CHECK((res.status == 405) == !res.allow.empty());
    }
}

TEST_CASE("route_public: the /.well-known/ page is short and fixed") {
    challenge_store store;
    auto res = route_public("GET", "/.well-known/", store);
    CHECK(res.body.rfind("It works!", 0) == 0);
    CHECK(res.body.size() < 200);
}

TEST_CASE("challenge_store: put, find, remove; only base64url tokens") {
    challenge_store s;
    CHECK(s.put("abc", "abc.x"));
    CHECK(s.find("abc").value() == "abc.x");
    CHECK(s.put("abc", "abc.y"));  // replace
    CHECK(s.find("abc").value() == "abc.y");
    CHECK_FALSE(s.put("../x", "evil"));
    CHECK_FALSE(s.put("", "empty"));
    CHECK(s.size() == 1);
    s.remove("abc");
    s.remove("never-there");
    CHECK_FALSE(s.find("abc").has_value());
    CHECK(s.size() == 0);
}

TEST_CASE("target_path strips the query and fragment") {
    CHECK(target_path("/a?b") == "/a");
    CHECK(target_path("/a#b") == "/a");
    CHECK(target_path("/a") == "/a");
}

TEST_CASE("challenge_token: only well-formed challenge URLs yield a token") {
    CHECK(challenge_token("/.well-known/acme-challenge/abc_-9").value() == "abc_-9");
    CHECK(challenge_token("/.well-known/acme-challenge/abc?x=1").value() == "abc");
    CHECK_FALSE(challenge_token("/.well-known/acme-challenge/").has_value());
    CHECK_FALSE(challenge_token("/.well-known/acme-challenge/a/b").has_value());
    CHECK_FALSE(challenge_token("/.well-known/acme-challenge/%2e%2e").has_value());
    CHECK_FALSE(challenge_token("/health").has_value());
    auto r = challenge_response("tok.thumb");
    CHECK(r.status == 200);
    CHECK(r.body == "tok.thumb");
    CHECK(r.route == route_id::challenge);
}
