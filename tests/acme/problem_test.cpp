#include <doctest/doctest.h>
#include "certman/acme/problem.hpp"
#include "fixture.hpp"

using namespace certman::acme;
using certman::acme::test::fixture;

TEST_CASE("parse_problem: RFC 8555 §6.7.1 subproblems") {
    const problem p = parse_problem(fixture("problem_subproblems.json"), 400);
    CHECK(p.type == "urn:ietf:params:acme:error:malformed");
    CHECK(p.detail == "Some of the identifiers requested were rejected");
    CHECK(p.status == 400);
    CHECK_FALSE(p.identifier);
    REQUIRE(p.subproblems.size() == 2);
    CHECK(p.subproblems[0].identifier == identifier::dns("_example.org"));
    CHECK(is(p.subproblems[1], "rejectedIdentifier"));
    CHECK(p.subproblems[1].identifier == identifier::dns("example.net"));
    CHECK(describe(p, "order for _example.org, example.net failed") ==
          "order for _example.org, example.net failed: urn:ietf:params:acme:error:malformed: Some of the identifiers "
          "requested were rejected (subproblem _example.org: malformed: Invalid underscore in DNS name "
          "\"_example.org\"; subproblem example.net: rejectedIdentifier: This CA will not issue for \"example.net\") "
          "(HTTP 400)");
}

TEST_CASE("describe: the SRE line names identifier, type, detail and subproblems") {
    const problem p = parse_problem(fixture("problem_dns_subproblem.json"), 400);
    CHECK(describe(p, "order for dev.example.org failed") ==
          "order for dev.example.org failed: urn:ietf:params:acme:error:connection: During secondary validation: 1 of "
          "2 identifiers failed (subproblem dev.example.org: dns: no valid A records found for dev.example.org) "
          "(HTTP 400)");
    problem q;
    q.type = "urn:ietf:params:acme:error:caa";
    q.detail = "CAA record\nforbids issuance";
    q.identifier = identifier::dns("x.example");
    CHECK(describe(q, "") == "urn:ietf:params:acme:error:caa: CAA record forbids issuance [dns x.example]");
}

TEST_CASE("is(): bare and URN names") {
    const problem bad = parse_problem(fixture("problem_badnonce.json"), 400);
    struct row { const char* name; bool want; };
    const row rows[] = {{"badNonce", true},     {"urn:ietf:params:acme:error:badNonce", true},
                        {"badnonce", false},    {"malformed", false},
                        {"", false},            {"urn:ietf:params:acme:error:", false}};
    for (const auto& r : rows) {
        CAPTURE(r.name);
        CHECK(is(bad, r.name) == r.want);
    }
    problem other;
    other.type = "https://example.com/probs/out-of-credit";  // RFC 7807 §3 style
    CHECK(is(other, "https://example.com/probs/out-of-credit"));
    CHECK_FALSE(is(other, "out-of-credit"));
    CHECK(short_type(other) == "https://example.com/probs/out-of-credit");
    CHECK(short_type(bad) == "badNonce");
}

TEST_CASE("parse_problem: rateLimited keeps Retry-After for the caller") {
    const problem p = parse_problem(fixture("problem_ratelimited.json"), 429, std::chrono::seconds{3600});
    CHECK(is(p, "rateLimited"));
    REQUIRE(p.retry_after);
    CHECK(p.retry_after->count() == 3600);
    const std::string line = describe(p, "order for a.example failed");
    CHECK(line.find("rateLimited: too many certificates (5)") != std::string::npos);
    CHECK(line.ends_with("(HTTP 429, retry after 3600 s)"));
}

TEST_CASE("parse_problem: bodies that are not problem documents") {
    struct row { const char* body; unsigned status; const char* detail_start; };
    const row rows[] = {
        {"<html><body>502 Bad Gateway</body></html>", 502, "response is not a problem document: <html>"},
        {"", 503, "empty response body"},
        {"[1,2]", 400, "response is not a problem document: [1,2]"},
        {"{\"type\":", 400, "response is not a problem document"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.body);
        const problem p = parse_problem(r.body, r.status);
        CHECK(p.type == "about:blank");
        CHECK(p.status == r.status);
        CHECK(p.detail.starts_with(r.detail_start));
    }
    // Members of the wrong type are ignored rather than failing: the operator still gets the status.
    const problem odd = parse_problem(R"({"type":5,"detail":["x"],"status":"400","subproblems":"no"})", 400);
    CHECK(odd.type == "about:blank");
    CHECK(odd.detail.empty());
    CHECK(odd.subproblems.empty());
    // The body's status is used when the response had none (embedded problems).
    CHECK(parse_problem(R"({"type":"urn:ietf:params:acme:error:serverInternal","status":500})", 0).status == 500);
}
