// order_flow driven by recorded-style Pebble responses (tests/fixtures/acme). Each scenario is a table of
// (seconds since start, event fed) → the action expected back, rendered as one line so a failing step shows
// exactly what the machine asked for.
#include <doctest/doctest.h>
#include <functional>
#include "certman/acme/order_flow.hpp"
#include "fixture.hpp"

using namespace certman::acme;
using certman::acme::test::fixture;
using std::chrono::seconds;

namespace {
const std::string P = "https://127.0.0.1:14000";
const std::string ORDER = P + "/my-order/ORD1";
const std::string AAA = P + "/authZ/AAA";
const std::string BBB = P + "/authZ/BBB";
const std::string TA = "yfCBb-bRTLz8Wd1C0lTUQK3qlKj3-t2tYGwx5Hj7r_w";
const std::string TB = "jIGsYUGRe4wQ8GWk3DXvMMgS7G9_bH8nK3xSkKNrXvU";
const timestamp T0 = timestamp{} + std::chrono::hours{24 * 365 * 55};

order load_order(const char* f) { return parse_order(fixture(f)).value(); }
authorization load_authz(const char* f) { return parse_authorization(fixture(f)).value(); }
challenge load_challenge(const char* f) { return parse_challenge(fixture(f)).value(); }

event created(const char* f) { return order_created{ORDER, load_order(f)}; }
event polled(const char* f, std::optional<seconds> ra = {}) { return order_polled{load_order(f), ra}; }
event finalized(const char* f, std::optional<seconds> ra = {}) { return finalize_answered{load_order(f), ra}; }
event authz(const std::string& url, const char* f, std::optional<seconds> ra = {}) {
    return authorization_fetched{url, load_authz(f), ra};
}
event answered(const char* f) { return challenge_answered{load_challenge(f)}; }
event published(const std::string& t) { return challenge_published{t}; }
event problem_ev(const char* f, unsigned status, std::optional<seconds> ra = {}) {
    return problem_received{parse_problem(fixture(f), status, ra)};
}
event downloaded(std::vector<std::string> alternates = {}) {
    return certificate_downloaded{fixture("chain.pem"), std::move(alternates), P + "/certZ/CERT1"};
}
event unpublished() { return challenges_unpublished{}; }

std::string render(const action& a) {
    struct visitor {
        std::string operator()(const create_order& x) { return "create_order " + x.url + " " + x.payload; }
        std::string operator()(const fetch_authorization& x) { return "fetch_authorization " + x.url; }
        std::string operator()(const publish_challenge& x) { return "publish " + x.token + " " + x.identifier.value; }
        std::string operator()(const respond_challenge& x) { return "respond " + x.url; }
        std::string operator()(const poll_authorization& x) {
            return "poll_authorization " + x.url + " " + std::to_string(x.after.count()) + "s";
        }
        std::string operator()(const poll_order& x) {
            return "poll_order " + x.url + " " + std::to_string(x.after.count()) + "s";
        }
        std::string operator()(const finalize_order& x) { return "finalize " + x.url + " " + join_values(x.identifiers); }
        std::string operator()(const download_certificate& x) { return "download " + x.url; }
        std::string operator()(const unpublish_challenges& x) {
            std::string out = "unpublish";
            for (const auto& t : x.tokens) out += " " + t;
            return out;
        }
        std::string operator()(const done& x) {
            return "done " + std::to_string(x.certificate_pem.size()) + " bytes, " +
                   std::to_string(x.alternates.size()) + " alternates, " + x.order_url;
        }
        std::string operator()(const failed& x) { return "failed [" + x.code.message() + "] " + x.description; }
    };
    return std::visit(visitor{}, a);
}

struct step {
    int at;                 // seconds since T0
    std::optional<event> e; // nullopt: cancel("shutdown")
    std::string want;       // rendered action; a trailing "..." means "starts with"
};

void check(const std::string& got, const std::string& want) {
    if (want.size() >= 3 && want.ends_with("...")) {
        CHECK_MESSAGE(got.starts_with(want.substr(0, want.size() - 3)), got);
    } else {
        CHECK(got == want);
    }
}

flow_config config(int deadline_s = 600) {
    flow_config c;
    c.deadline = T0 + seconds{deadline_s};
    return c;
}

// Runs start() then every step; returns the flow for further checks.
order_flow run(const std::vector<step>& steps, flow_config cfg = config(),
               std::vector<identifier> ids = {identifier::dns("a.example.org"), identifier::dns("b.example.org")}) {
    order_flow flow(std::move(ids), P + "/order-plz", std::move(cfg));
    const std::string first = render(flow.start(T0));
    CHECK(first.starts_with("create_order " + P + "/order-plz {\"identifiers\":"));
    for (std::size_t i = 0; i < steps.size(); ++i) {
        CAPTURE(i);
        const step& s = steps[i];
        const action a = s.e ? flow.next(*s.e, T0 + seconds{s.at}) : flow.cancel("shutdown");
        check(render(a), s.want);
    }
    return flow;
}

const std::string CREATE = "create_order " + P + "/order-plz ";
const std::string FIN = "finalize " + P + "/finalize-order/ORD1 a.example.org, b.example.org";
const std::string DOWNLOAD = "download " + P + "/certZ/CERT1";
const std::string DONE = "done 219 bytes, ";
}  // namespace

TEST_CASE("order_flow: happy path with two names, Pebble-style polling") {
    const order_flow flow = run({
        {0, created("order_pending.json"), "fetch_authorization " + AAA},
        {0, authz(AAA, "authz_a_pending.json"), "fetch_authorization " + BBB},
        {0, authz(BBB, "authz_b_pending.json"), "publish " + TA + " a.example.org"},
        {0, published(TA), "respond " + P + "/chalZ/a-http"},
        {0, answered("challenge_a_processing.json"), "publish " + TB + " b.example.org"},
        {0, published(TB), "respond " + P + "/chalZ/b-http"},
        {0, answered("challenge_b_processing.json"), "poll_authorization " + AAA + " 1s"},
        {1, authz(AAA, "authz_a_pending.json"), "poll_authorization " + AAA + " 2s"},
        {3, authz(AAA, "authz_a_valid.json"), "poll_authorization " + BBB + " 1s"},
        {4, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
        {4, polled("order_ready.json"), FIN},
        {5, finalized("order_processing.json"), "poll_order " + ORDER + " 1s"},
        {6, polled("order_processing.json", seconds{3}), "poll_order " + ORDER + " 3s"},  // Retry-After wins
        {9, polled("order_valid.json"), DOWNLOAD},
        {9, downloaded({P + "/certZ/CERT1/1", P + "/certZ/CERT1/2"}), "unpublish " + TA + " " + TB},
        {9, unpublished(), DONE + "2 alternates, " + ORDER},
        {9, unpublished(), DONE + "2 alternates, " + ORDER},  // terminal is sticky
    });
    CHECK(flow.finished());
    CHECK(flow.order_url() == ORDER);
}

TEST_CASE("order_flow: reused authorizations") {
    SUBCASE("one valid, one pending: only the pending one is published") {
        run({
            {0, created("order_pending.json"), "fetch_authorization " + AAA},
            {0, authz(AAA, "authz_a_valid.json"), "fetch_authorization " + BBB},
            {0, authz(BBB, "authz_b_pending.json"), "publish " + TB + " b.example.org"},
            {0, published(TB), "respond " + P + "/chalZ/b-http"},
            {0, answered("challenge_b_processing.json"), "poll_authorization " + BBB + " 1s"},
            {1, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
            {1, polled("order_ready.json"), FIN},
            {2, finalized("order_valid.json"), DOWNLOAD},
            {2, downloaded(), "unpublish " + TB},
            {2, unpublished(), DONE + "0 alternates, " + ORDER},
        });
    }
    SUBCASE("all valid: nothing is published or unpublished") {
        run({
            {0, created("order_pending.json"), "fetch_authorization " + AAA},
            {0, authz(AAA, "authz_a_valid.json"), "fetch_authorization " + BBB},
            {0, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
            {0, polled("order_pending.json"), "poll_order " + ORDER + " 1s"},
            {1, polled("order_ready.json"), FIN},
            {2, finalized("order_valid.json"), DOWNLOAD},
            {2, downloaded(), DONE + "0 alternates, " + ORDER},
        });
    }
    SUBCASE("the CA returns an order that is already ready or valid") {
        run({{0, created("order_ready.json"), FIN}});
        run({{0, created("order_valid.json"), DOWNLOAD}});
        run({{0, created("order_processing.json"), "poll_order " + ORDER + " 1s"}});
    }
}

TEST_CASE("order_flow: failures name the identifier and the CA's words, and always unpublish") {
    const std::vector<step> to_b_answer = {
        {0, created("order_pending.json"), "fetch_authorization " + AAA},
        {0, authz(AAA, "authz_a_pending.json"), "fetch_authorization " + BBB},
        {0, authz(BBB, "authz_b_pending.json"), "publish " + TA + " a.example.org"},
        {0, published(TA), "respond " + P + "/chalZ/a-http"},
        {0, answered("challenge_a_processing.json"), "publish " + TB + " b.example.org"},
        {0, published(TB), "respond " + P + "/chalZ/b-http"},
    };
    struct row { const char* name; std::vector<step> tail; };
    const row rows[] = {
        {"challenge answered invalid",
         {{0, answered("challenge_b_invalid.json"), "unpublish " + TA + " " + TB},
          {0, unpublished(),
           "failed [ACME server reported a problem] order for a.example.org, b.example.org: http-01 challenge for "
           "b.example.org failed: urn:ietf:params:acme:error:unauthorized: The key authorization file from the server "
           "did not match this challenge (HTTP 403)"}}},
        {"authorization polled invalid",
         {{0, answered("challenge_b_processing.json"), "poll_authorization " + AAA + " 1s"},
          {1, authz(AAA, "authz_a_valid.json"), "poll_authorization " + BBB + " 1s"},
          {2, authz(BBB, "authz_b_invalid.json"), "unpublish " + TA + " " + TB},
          {2, unpublished(),
           "failed [ACME server reported a problem] order for a.example.org, b.example.org: authorization for "
           "b.example.org is invalid (http-01 challenge): urn:ietf:params:acme:error:connection: 127.0.0.1: Fetching "
           "http://b.example.org/.well-known/acme-challenge/" + TB + ": Connection refused (HTTP 400)"}}},
        {"order becomes invalid",
         {{0, answered("challenge_b_processing.json"), "poll_authorization " + AAA + " 1s"},
          {1, authz(AAA, "authz_a_valid.json"), "poll_authorization " + BBB + " 1s"},
          {2, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
          {2, polled("order_invalid.json"), "unpublish " + TA + " " + TB},
          {2, unpublished(),
           "failed [ACME server reported a problem] order for a.example.org, b.example.org: the order is invalid: "
           "urn:ietf:params:acme:error:unauthorized: Authorization for b.example.org failed (HTTP 403)"}}},
        {"deadline passes while polling",
         {{0, answered("challenge_b_processing.json"), "poll_authorization " + AAA + " 1s"},
          {601, authz(AAA, "authz_a_pending.json"), "unpublish " + TA + " " + TB},
          {601, unpublished(),
           "failed [timed out] order for a.example.org, b.example.org timed out while waiting for the authorization "
           "to be validated"}}},
        {"Retry-After beyond the deadline fails at once",
         {{0, answered("challenge_b_processing.json"), "poll_authorization " + AAA + " 1s"},
          {1, authz(AAA, "authz_a_pending.json", seconds{3600}), "unpublish " + TA + " " + TB},
          {1, unpublished(), "failed [timed out] order for a.example.org, b.example.org timed out while waiting for "
                             "the authorization to be validated: the next poll (in 3600 s, the CA's Retry-After) would "
                             "be past the deadline (599 s left)"}}},
        {"cancelled by shutdown",
         {{0, std::nullopt, "unpublish " + TA + " " + TB},
          {0, unpublished(), "failed [cancelled] order for a.example.org, b.example.org cancelled while answering "
                             "the challenge: shutdown"}}},
        {"transport failure",
         {{0, request_failed{certman::errc::timeout, "POST " + P + "/chalZ/b-http"}, "unpublish " + TA + " " + TB},
          {0, unpublished(), "failed [timed out] order for a.example.org, b.example.org failed while answering the "
                             "challenge: POST " + P + "/chalZ/b-http: timed out"}}},
        {"driver feeds the wrong event",
         {{0, polled("order_ready.json"), "unpublish " + TA + " " + TB},
          {0, unpublished(), "failed [protocol error] order for a.example.org, b.example.org: driver fed "
                             "order_polled while answering the challenge"}}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        std::vector<step> steps = to_b_answer;
        steps.insert(steps.end(), r.tail.begin(), r.tail.end());
        const order_flow flow = run(steps);
        CHECK(flow.finished());
    }
}

namespace {
// From creation to finalize answered "processing": the flow then polls the order for the certificate.
std::vector<step> to_processing() {
    return {
        {0, created("order_pending.json"), "fetch_authorization " + AAA},
        {0, authz(AAA, "authz_a_valid.json"), "fetch_authorization " + BBB},
        {0, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
        {0, polled("order_ready.json"), FIN},
        {0, finalized("order_processing.json"), "poll_order " + ORDER + " 1s"},
    };
}
}  // namespace

TEST_CASE("order_flow: polling schedule without Retry-After grows 1, 2, 4, 8, 8 s") {
    std::vector<step> steps = to_processing();
    const int waits[] = {1, 2, 4, 8, 8};
    int t = 0;
    for (int w : waits) {
        t += w;
        const int next = w == 1 ? 2 : w == 2 ? 4 : 8;
        steps.push_back({t, polled("order_processing.json"), "poll_order " + ORDER + " " + std::to_string(next) + "s"});
    }
    steps.push_back({t, polled("order_valid.json"), DOWNLOAD});
    run(steps);
}

TEST_CASE("order_flow: Retry-After lengthens a wait, never shortens it below the schedule") {
    struct row { const char* what; std::vector<std::optional<seconds>> retry_after; std::vector<int> want; };
    const row rows[] = {
        {"Retry-After: 0 keeps the schedule", {seconds{0}, seconds{0}, seconds{0}, seconds{0}, seconds{0}},
         {2, 4, 8, 8, 8}},
        {"negative (a driver bug) keeps the schedule", {seconds{-5}, seconds{-1}}, {2, 4}},
        {"shorter than the schedule keeps the schedule", {seconds{1}, seconds{3}, seconds{7}}, {2, 4, 8}},
        {"longer wins", {seconds{3}, seconds{30}, std::nullopt, seconds{9}}, {3, 30, 8, 9}},
        {"the schedule keeps growing under Retry-After", {seconds{60}, seconds{60}, std::nullopt, std::nullopt},
         {60, 60, 8, 8}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        std::vector<step> steps = to_processing();
        int t = 1;
        for (std::size_t i = 0; i < r.retry_after.size(); ++i) {
            steps.push_back({t, polled("order_processing.json", r.retry_after[i]),
                             "poll_order " + ORDER + " " + std::to_string(r.want[i]) + "s"});
            t += r.want[i];
        }
        run(steps);
    }
}

TEST_CASE("order_flow: authorization polls follow the same floor and schedule") {
    const std::vector<step> steps = {
        {0, created("order_pending.json"), "fetch_authorization " + AAA},
        {0, authz(AAA, "authz_a_valid.json"), "fetch_authorization " + BBB},
        {0, authz(BBB, "authz_b_pending.json"), "publish " + TB + " b.example.org"},
        {0, published(TB), "respond " + P + "/chalZ/b-http"},
        {0, answered("challenge_b_processing.json"), "poll_authorization " + BBB + " 1s"},
        {1, authz(BBB, "authz_b_pending.json", seconds{0}), "poll_authorization " + BBB + " 2s"},
        {3, authz(BBB, "authz_b_pending.json", seconds{0}), "poll_authorization " + BBB + " 4s"},
        {7, authz(BBB, "authz_b_pending.json", seconds{20}), "poll_authorization " + BBB + " 20s"},
    };
    run(steps);
}

TEST_CASE("order_flow: every poll wait lies between 1 s and the time left before the deadline") {
    struct row { const char* what; int at; std::optional<seconds> retry_after; std::string want; };
    const std::string FAILED = "failed [timed out] order for a.example.org, b.example.org timed out while waiting for "
                               "the certificate to be issued: the next poll (in ";
    const row rows[] = {
        {"Retry-After just inside the time left", 590, seconds{9}, "poll_order " + ORDER + " 9s"},
        {"Retry-After equal to the time left", 590, seconds{10},
         FAILED + "10 s, the CA's Retry-After) would be past the deadline (10 s left)"},
        {"schedule equal to the time left", 598, std::nullopt,
         FAILED + "2 s) would be past the deadline (2 s left)"},
        {"less than the 1 s floor left", 599, seconds{0}, FAILED + "2 s) would be past the deadline (1 s left)"},
        {"Retry-After: 8000000000 (253 years)", 1, seconds{8000000000},
         FAILED + "8000000000 s, the CA's Retry-After) would be past the deadline (599 s left)"},
        {"the largest seconds value: no overflow", 1, seconds::max(),
         FAILED + std::to_string(seconds::max().count()) + " s, the CA's Retry-After) would be past the deadline (599 s left)"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        std::vector<step> steps = to_processing();
        steps.push_back({r.at, polled("order_processing.json", r.retry_after), r.want});
        const order_flow flow = run(steps);
        CHECK(flow.finished() == r.want.starts_with("failed"));
    }
}

TEST_CASE("order_flow: problems at order creation") {
    SUBCASE("rateLimited carries Retry-After to the caller") {
        order_flow flow({identifier::dns("a.example.org")}, P + "/order-plz", config());
        flow.start(T0);
        const action a = flow.next(problem_ev("problem_ratelimited.json", 429, seconds{3600}), T0);
        REQUIRE(std::holds_alternative<failed>(a));
        const failed& f = std::get<failed>(a);
        CHECK(f.code == certman::errc::acme_problem);
        REQUIRE(f.problem);
        CHECK(is(*f.problem, "rateLimited"));
        CHECK(f.problem->retry_after == seconds{3600});
        check(f.description, "order for a.example.org failed while creating the order: "
                             "urn:ietf:params:acme:error:rateLimited: too many certificates (5)...");
    }
    SUBCASE("alreadyReplaced: order again once, without replaces (RFC 9773 §5)") {
        flow_config cfg = config();
        cfg.replaces = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
        cfg.profile = "shortlived";
        order_flow flow({identifier::dns("a.example.org")}, P + "/order-plz", cfg);
        CHECK(render(flow.start(T0)) ==
              CREATE + R"({"identifiers":[{"type":"dns","value":"a.example.org"}],"profile":"shortlived",)"
                       R"("replaces":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"})");
        CHECK(render(flow.next(problem_ev("problem_already_replaced.json", 409), T0)) ==
              CREATE + R"({"identifiers":[{"type":"dns","value":"a.example.org"}],"profile":"shortlived"})");
        check(render(flow.next(problem_ev("problem_already_replaced.json", 409), T0)),
              "failed [ACME server reported a problem] order for a.example.org failed while creating the order: "
              "urn:ietf:params:acme:error:alreadyReplaced...");
    }
    SUBCASE("badNonce that reaches the flow is final (the driver retries it first)") {
        order_flow flow({identifier::dns("a.example.org")}, P + "/order-plz", config());
        flow.start(T0);
        const action a = flow.next(problem_ev("problem_badnonce.json", 400), T0);
        REQUIRE(std::holds_alternative<failed>(a));
        CHECK(is(*std::get<failed>(a).problem, "badNonce"));
    }
}

TEST_CASE("order_flow: configuration and protocol errors") {
    struct row { const char* name; std::vector<step> steps; };
    const row rows[] = {
        {"wildcard with http-01",
         {{0, created("order_pending.json"), "fetch_authorization " + AAA},
          {0, authz(AAA, "authz_wildcard.json"),
           "failed [invalid configuration] order for a.example.org, b.example.org: *.example.org is a wildcard, which "
           "http-01 cannot validate (RFC 8555 §7.1.3); use dns-01"}}},
        {"CA created an order for other names",
         {{0, order_created{ORDER, [] { auto o = load_order("order_pending.json"); o.identifiers.pop_back(); return o; }()},
           "failed [protocol error] order for a.example.org, b.example.org: the CA created an order for other "
           "identifiers (a.example.org)"}}},
        {"authorization fetched out of order",
         {{0, created("order_pending.json"), "fetch_authorization " + AAA},
          {0, authz(BBB, "authz_b_pending.json"), "failed [protocol error] order for a.example.org, b.example.org: "
                                                  "driver fed authorization " + BBB + ", expected " + AAA}}},
        {"valid order without certificate URL",
         {{0, created("order_pending.json"), "fetch_authorization " + AAA},
          {0, authz(AAA, "authz_a_valid.json"), "fetch_authorization " + BBB},
          {0, authz(BBB, "authz_b_valid.json"), "poll_order " + ORDER + " 0s"},
          {0, polled("order_ready.json"), FIN},
          {0, [] { auto o = load_order("order_valid.json"); o.certificate.reset(); return event{finalize_answered{o, {}}}; }(),
           "failed [protocol error] order for a.example.org, b.example.org: the order is valid but has no certificate "
           "URL"}}},
        {"download is not PEM",
         {{0, created("order_valid.json"), DOWNLOAD},
          {0, certificate_downloaded{"<html>", {}, ""}, "failed [protocol error] order for a.example.org, "
                                                        "b.example.org: the certificate download is not a PEM chain"}}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        run(r.steps);
    }
}

TEST_CASE("order_flow: start() edge cases") {
    order_flow empty({}, P + "/order-plz", config());
    CHECK(render(empty.start(T0)) == "failed [invalid argument] order with no identifiers");
    order_flow late({identifier::dns("a.example.org")}, P + "/order-plz", config(0));
    CHECK(render(late.start(T0)) == "failed [timed out] order for a.example.org timed out before it started");
    CHECK(is_terminal(late.start(T0)));
    order_flow twice({identifier::dns("a.example.org")}, P + "/order-plz", config());
    CHECK_FALSE(is_terminal(twice.start(T0)));
    CHECK(is_terminal(twice.start(T0)));
}
