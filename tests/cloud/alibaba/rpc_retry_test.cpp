// Retry decisions for Alibaba RPC calls (reference §1.7).
#include "certman/cloud/alibaba/rpc_retry.hpp"

#include <doctest/doctest.h>

using namespace certman::cloud::alibaba;
using namespace std::chrono_literals;

TEST_CASE("backoff_delay doubles, caps and spreads over [d/2, d)") {
    retry_policy p;
    p.base_delay = 1000ms;
    p.max_delay = 5000ms;
    struct row {
        int n;
        double jitter;
        std::chrono::milliseconds expected;
    };
    const row rows[] = {{1, 0.0, 500ms}, {1, 0.5, 750ms}, {2, 0.0, 1000ms}, {3, 0.0, 2000ms},
                        {4, 0.0, 2500ms}, {4, 0.999, 4997ms}, {30, 0.0, 2500ms}, {1, 7.0, 1000ms}};
    for (const auto& r : rows) {
        CAPTURE(r.n);
        CAPTURE(r.jitter);
        CHECK(backoff_delay(p, r.n, r.jitter) == r.expected);
    }
}

TEST_CASE("decide_retry: how many tries each class gets") {
    retry_policy p;  // 5 throttled, 3 transient, 3 nonce
    struct row {
        retry_class c;
        bool ambiguous;
        bool idempotent;
        int retries;  // retries granted before giving up
    };
    const row rows[] = {
        {retry_class::throttled, false, true, 4},
        {retry_class::throttled, false, false, 4},  // a throttled request was not carried out
        {retry_class::transient_bounded, false, true, 2},
        {retry_class::transient_bounded, true, true, 2},
        {retry_class::transient_bounded, false, false, 2},  // ServiceUnavailable envelope: not carried out
        {retry_class::transient_bounded, true, false, 0},   // timeout on upload: re-check instead
        {retry_class::fresh_nonce, false, true, 2},
        {retry_class::refresh_credentials_once, false, true, 1},
        {retry_class::never, false, true, 0},
    };
    for (const auto& r : rows) {
        CAPTURE(to_string(r.c));
        CAPTURE(r.ambiguous);
        CAPTURE(r.idempotent);
        retry_state s;
        int retries = 0;
        while (decide_retry(s, r.c, r.ambiguous, r.idempotent, p, 0.0).retry) ++retries;
        CHECK(retries == r.retries);
        CHECK(s.attempts == retries + 1);
    }
}

TEST_CASE("decide_retry: delays and credential refresh") {
    retry_policy p;
    p.base_delay = 100ms;
    retry_state s;
    auto d1 = decide_retry(s, retry_class::throttled, false, true, p, 0.0);
    auto d2 = decide_retry(s, retry_class::throttled, false, true, p, 0.0);
    CHECK(d1.delay == 50ms);
    CHECK(d2.delay == 100ms);
    auto n = decide_retry(s, retry_class::fresh_nonce, false, true, p, 0.0);
    CHECK(n.retry);
    CHECK(n.delay == 0ms);
    auto t = decide_retry(s, retry_class::refresh_credentials_once, false, true, p, 0.0);
    CHECK(t.retry);
    CHECK(t.refresh_credentials);
    CHECK_FALSE(decide_retry(s, retry_class::refresh_credentials_once, false, true, p, 0.0).retry);
    // The counters are separate: throttling still has retries left.
    CHECK(decide_retry(s, retry_class::throttled, false, true, p, 0.0).retry);
}
