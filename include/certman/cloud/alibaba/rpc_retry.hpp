// When and how soon a failed Alibaba RPC call is tried again (reference alibaba-api.md §1.7). api_error.hpp
// classifies one failure; this module turns the sequence of failures of one call into decisions, with
// exponential backoff and jitter. Pure: the jitter draw is a parameter.
#pragma once
#include <chrono>

#include "certman/cloud/alibaba/api_error.hpp"

namespace certman::cloud::alibaba {

struct retry_policy {
    int throttled_attempts = 5;       // total tries while the answer is Throttling*
    int transient_attempts = 3;       // total tries for ServiceUnavailable, InternalError, busy codes, bare 5xx, timeouts
    int nonce_attempts = 3;           // total tries while SignatureNonceUsed (each with a fresh nonce)
    std::chrono::milliseconds base_delay{1000};  // first backoff; doubles per retry
    std::chrono::milliseconds max_delay{30'000}; // cap of one backoff
};

// What has gone wrong so far within one call (all counters start at zero).
struct retry_state {
    int attempts = 0;          // tries made, including the one that just failed
    int throttled = 0;
    int transient = 0;
    int nonce = 0;
    bool credentials_refreshed = false;
};

struct retry_decision {
    bool retry = false;
    bool refresh_credentials = false;  // fetch new STS credentials before the next try
    std::chrono::milliseconds delay{0};
};

// Records one failure of class `c` in `state` and decides. `idempotent` = false (UploadServerCertificate) means
// a failure that may have been carried out by the service anyway (timeout, transport error, bare 5xx,
// InternalError) is not retried: the caller re-checks the service's state on its next pass instead, so a retry
// cannot create a duplicate. `jitter` in [0, 1) spreads the backoff over [delay/2, delay).
retry_decision decide_retry(retry_state& state, retry_class c, bool ambiguous, bool idempotent,
                            const retry_policy& policy, double jitter);

// base_delay · 2^(n-1), capped at max_delay, scaled into [1/2, 1) by jitter. n ≥ 1.
std::chrono::milliseconds backoff_delay(const retry_policy& policy, int n, double jitter);

}  // namespace certman::cloud::alibaba
