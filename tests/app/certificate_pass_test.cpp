// Whole renewal passes (src/app/certificate_job.cpp and its steps) on the in-memory storage, a scripted ACME
// service and a fixed clock: one case per branch of a pass.
#include "certificate_pass_support.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/policy/ari.hpp"
#include "certman/storage/lease.hpp"

using namespace certman;
using namespace certman::test;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {
const std::string lease = storage::lease_key("site");
const std::string cert_key = storage::certificate_key("site");

// Another instance's lease on "site", expiring at `expires`, as storage holds it.
std::string other_instance_lease(std::chrono::sys_seconds expires) {
    return storage::lease_to_json(storage::lease{lease, "elsewhere.test/4242/abc/1", expires});
}

// One order was placed and nothing of it was kept: no certificate stored, nothing deployed.
void check_ordered_once_nothing_kept(const pass_fixture& f) {
    CHECK(f.ca.calls == strings{"account", "order www.example.test"});
    CHECK_FALSE(f.has(cert_key));
    CHECK(f.lb->serials.empty());
}
}  // namespace

TEST_CASE("a pass without a stored certificate orders one, stores it, deploys it and records the state") {
    pass_fixture f;
    const auto t0 = f.clock.now();
    auto r = f.run();
    CHECK(r.ok);
    CHECK(f.ca.calls == strings{"account", "order www.example.test"});
    CHECK_FALSE(f.ca.last_replaces);
    const auto b = f.bundle();
    CHECK(b.names == strings{"www.example.test"});
    CHECK(b.not_before == t0);
    CHECK(b.not_after == t0 + std::chrono::days(90));
    CHECK(b.obtained_at == t0);
    CHECK(b.directory_url == "https://ca.test/dir");
    CHECK(r.line == "site: obtained serial " + b.serial + ", valid until " + format_rfc3339(b.not_after));
    CHECK(f.lb->serials == strings{b.serial});
    CHECK(f.exported == 1);
    const auto s = f.state();
    CHECK(s.failures.consecutive_failures == 0);
    CHECK(s.attempt_started == t0);
    CHECK(s.deployed.at("lb") == b.serial);
    CHECK(s.random01 == 0.5);
    CHECK_FALSE(f.has(lease));  // released
    CHECK(f.status.serial == b.serial);
    CHECK(f.status.last_success == t0);
    CHECK(f.status.renewals_by_reason["missing"] == 1);
    CHECK(f.status.next_renewal == b.not_after - std::chrono::days(30));  // 1/3 of 90 days left
    REQUIRE(f.progress.size() >= 2);
    CHECK(f.progress.front() == "site: renew: no certificate stored");
    CHECK(f.progress.back() == r.line);
}

TEST_CASE("a pass with a valid, delivered certificate orders and deploys nothing and writes nothing") {
    pass_fixture f;
    REQUIRE(f.run().ok);
    const auto stored = f.store.objects;
    f.ca.calls.clear();
    f.clock.advance(std::chrono::days(1));
    auto r = f.run();
    CHECK(r.ok);
    CHECK(f.ca.calls.empty());
    CHECK(f.lb->serials.size() == 1);
    CHECK(f.store.objects == stored);
    const auto b = f.bundle();
    CHECK(r.line == "site: valid until " + format_rfc3339(b.not_after));
    CHECK(f.status.next_renewal == b.not_after - std::chrono::days(30));
    CHECK(f.status.next_renewal_reason == "lifetime_fraction");
}

namespace {
// The stored certificate is tests/fixtures/crypto/leaf.pem (valid 2026-11-28 to 2027-02-26, with an AKI, so
// it has an RFC 9773 certID); at 2026-12-10 the lifetime rule is not due before 2027-01-27.
void store_fixture_leaf(pass_fixture& f) {
    storage::certificate_bundle b;
    b.certificate_pem = read_fixture("crypto/leaf.pem");
    b.private_key_pem = read_fixture("crypto/leaf.key");
    auto facts = crypto::inspect_certificate(b.certificate_pem);
    REQUIRE(facts.has_value());
    b.names = {"www.example.test"};
    b.key_type = "ec256";
    b.serial = facts->serial_hex;
    b.not_before = facts->not_before;
    b.not_after = facts->not_after;
    f.store.objects[cert_key] = storage::to_json(b);
}

std::string fixture_cert_id() {
    auto facts = crypto::inspect_certificate(read_fixture("crypto/leaf.pem"));
    REQUIRE(facts.has_value());
    return policy::ari_cert_id(facts->authority_key_id, facts->serial_der);
}

app::renewal_info_answer window(std::chrono::sys_seconds start, std::chrono::sys_seconds end) {
    net::http_response res;
    res.status = 200;
    res.body = R"({"suggestedWindow": {"start": ")" + format_rfc3339(start) + R"(", "end": ")" + format_rfc3339(end) +
               R"("}})";
    return {"https://ca.test/ari/" + fixture_cert_id(), res};
}
}  // namespace

TEST_CASE("a renewalInfo window in the past makes the pass order a replacement") {
    pass_fixture f;
    store_fixture_leaf(f);
    const auto t0 = f.clock.now();
    const auto id = fixture_cert_id();
    SUBCASE("window ended yesterday: due by ARI") {
        f.ca.renewal_info = window(t0 - std::chrono::days(2), t0 - std::chrono::days(1));
        auto r = f.run();
        CHECK(r.ok);
        CHECK(f.ca.calls == strings{"renewalInfo " + id, "account", "order www.example.test"});
        CHECK(f.ca.last_replaces == id);  // RFC 9773 §5
        CHECK(f.status.renewals_by_reason["ari_window"] == 1);
        CHECK(f.bundle().not_before == t0);
        CHECK_FALSE(f.state().ari);  // the advice was for the replaced certificate
    }
    SUBCASE("window next month: not due, the window and the next poll are kept") {
        f.ca.renewal_info = window(t0 + std::chrono::days(30), t0 + std::chrono::days(32));
        auto r = f.run();
        CHECK(r.ok);
        CHECK(f.ca.calls == strings{"renewalInfo " + id});
        CHECK(f.lb->serials.size() == 1);  // the stored certificate was never delivered to lb
        const auto s = f.state();
        REQUIRE(s.ari);
        CHECK(s.ari->start == t0 + std::chrono::days(30));
        CHECK(s.ari_cert_id == id);
        CHECK(s.ari_next_poll == policy::ari_next_poll(std::nullopt, t0));
        CHECK(f.memory.ari_polls.at("site") == s.ari_next_poll);
        CHECK(f.status.next_renewal == t0 + std::chrono::days(31));  // random01 0.5: the window's middle
        // The next pass before the poll time asks the CA nothing.
        f.clock.advance(1h);
        f.run();
        CHECK(f.ca.calls.size() == 1);
    }
}

TEST_CASE("a failed order is recorded with its backoff, and no pass orders again before it ends") {
    pass_fixture f;
    f.ca.order_failure = failure{errc::timeout, "the CA did not answer in time"};
    const auto t0 = f.clock.now();
    auto r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(r.line == "site: FAILED: the CA did not answer in time");
    check_ordered_once_nothing_kept(f);
    CHECK_FALSE(f.has(lease));
    auto s = f.state();
    CHECK(s.failures.consecutive_failures == 1);
    CHECK(s.failures.last_failure == t0);
    CHECK(s.failures.last_error == "the CA did not answer in time");
    CHECK(s.last_failure_reason == "timeout");
    CHECK(f.status.next_renewal == t0 + 60s);  // 1 minute, random01 0.5: no jitter
    CHECK(f.status.failures_by_reason["timeout"] == 1);

    f.ca.order_failure.reset();
    f.clock.advance(59s);  // one second before the backoff ends
    r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(r.line == "site: backing off after 1 failures until " + format_rfc3339(t0 + 60s) +
                    " (last error: the CA did not answer in time)");
    CHECK(f.ca.calls.size() == 2);

    f.clock.advance(1s);  // the backoff's end
    r = f.run();
    CHECK(r.ok);
    CHECK(f.ca.calls.size() == 4);
    CHECK(f.state().failures.consecutive_failures == 0);
}

TEST_CASE("a lease held by another instance: nothing is ordered, the pass looks again when it expires") {
    pass_fixture f;
    const auto t0 = f.clock.now();
    const auto other = other_instance_lease(t0 + 90s);
    f.store.objects[lease] = other;
    auto r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(r.line == "site: another certman instance is renewing it");
    CHECK(f.ca.calls.empty());
    CHECK(f.status.next_renewal == t0 + 90s);
    CHECK(f.store.objects.at(lease) == other);  // left alone
    CHECK_FALSE(f.has(storage::state_key("site")));                      // nothing recorded
}

TEST_CASE("a lease lost while ordering: the certificate is discarded and nothing is recorded") {
    pass_fixture f;
    const auto t0 = f.clock.now();
    const auto thief = other_instance_lease(t0 + 120s);
    f.ca.during_order = [&] { f.store.objects[lease] = thief; };
    auto r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(r.line == "site: lease lost while ordering; the result is discarded");
    check_ordered_once_nothing_kept(f);
    CHECK(f.store.objects.at(lease) == thief);
    CHECK(f.state().failures.consecutive_failures == 0);  // only the attempt written before the order
}

TEST_CASE("a failed deploy is retried on the next pass without ordering again") {
    pass_fixture f;
    f.lb->fail = true;
    auto r = f.run();
    CHECK_FALSE(r.ok);
    const auto b = f.bundle();
    CHECK(r.line == "site: obtained serial " + b.serial + ", valid until " + format_rfc3339(b.not_after) +
                    ", deploy failed");
    CHECK(f.state().deployed["lb"].empty());  // not delivered
    CHECK_FALSE(f.status.deploys["lb"].ok);
    CHECK(f.status.deploys["lb"].last_error == "lb: refused (test)");

    f.lb->fail = false;
    f.clock.advance(5min);
    r = f.run();
    CHECK(r.ok);
    CHECK(f.ca.calls == strings{"account", "order www.example.test"});  // from the first pass only
    CHECK(f.lb->serials == strings{b.serial, b.serial});
    CHECK(f.state().deployed.at("lb") == b.serial);
    CHECK(f.status.deploys["lb"].ok);
    CHECK(f.status.deploys["lb"].successes == 1);

    f.clock.advance(5min);  // delivered: the third pass deploys nothing
    CHECK(f.run().ok);
    CHECK(f.lb->serials.size() == 2);
}

TEST_CASE("storage refusing writes: nothing is ordered and the backoff holds in memory") {
    pass_fixture f;
    f.store.refused_prefixes = {storage::state_key("site")};
    const auto t0 = f.clock.now();
    auto r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(f.ca.calls.empty());
    CHECK_FALSE(f.has(storage::state_key("site")));
    CHECK_FALSE(f.has(lease));
    REQUIRE(f.memory.unsaved_states.count("site") == 1);
    const auto& mem = f.memory.unsaved_states.at("site");
    CHECK(mem.failures.consecutive_failures == 1);
    CHECK(mem.failures.last_failure == t0);
    CHECK(mem.last_failure_reason == "storage");
    CHECK(f.status.storage_errors == 2);  // the attempt, then the failure
    CHECK_FALSE(f.status.storage_error.empty());
    CHECK(f.status.next_renewal == t0 + 60s);

    f.clock.advance(30s);
    r = f.run();
    CHECK(f.ca.calls.empty());
    CHECK(r.line.rfind("site: backing off after 1 failures until " + format_rfc3339(t0 + 60s), 0) == 0);

    f.store.refused_prefixes.clear();
    f.clock.advance(30s);
    r = f.run();
    CHECK(r.ok);
    CHECK(f.ca.calls == strings{"account", "order www.example.test"});
    CHECK(f.memory.unsaved_states.empty());
    CHECK(f.status.storage_error.empty());
}

TEST_CASE("a forced pass orders despite a valid certificate and a backoff") {
    pass_fixture f;
    REQUIRE(f.run().ok);
    f.clock.advance(1h);
    auto r = f.run(true);
    CHECK(r.ok);
    CHECK(f.ca.calls.size() == 4);
    CHECK(f.status.renewals_by_reason["forced"] == 1);
}

TEST_CASE("next_check_delay: the check interval with jitter, or just after an earlier renewal or ARI poll") {
    using app::next_check_delay;
    const auto now = at("2026-12-10T00:00:00Z");
    CHECK(next_check_delay(now, 1h, std::nullopt, std::nullopt, 1.0) == 3600s);
    CHECK(next_check_delay(now, 1h, std::nullopt, std::nullopt, 0.9) == 3240s);
    CHECK(next_check_delay(now, 1h, std::nullopt, std::nullopt, 1.1) == 3960s);
    CHECK(next_check_delay(now, 1h, now + 10min, std::nullopt, 1.1) == 601s);
    CHECK(next_check_delay(now, 1h, now + 2h, now + 5min, 1.1) == 301s);
    CHECK(next_check_delay(now, 1h, now + 1h, std::nullopt, 1.0) == 3600s);   // not earlier than the interval
    CHECK(next_check_delay(now, 1h, now - 1min, std::nullopt, 1.0) == 3600s); // past: the regular check
    CHECK(next_check_delay(now, 1h, now, std::nullopt, 1.0) == 3600s);
}
