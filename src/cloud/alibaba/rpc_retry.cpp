// Retry decisions for Alibaba RPC calls (contract in the header).
#include "certman/cloud/alibaba/rpc_retry.hpp"

#include <algorithm>

namespace certman::cloud::alibaba {

std::chrono::milliseconds backoff_delay(const retry_policy& policy, int n, double jitter) {
    auto d = policy.base_delay;
    for (int i = 1; i < n && d < policy.max_delay; ++i) d *= 2;
    d = std::min(d, policy.max_delay);
    jitter = std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(d.count()) * (0.5 + jitter / 2)));
}

retry_decision decide_retry(retry_state& state, retry_class c, bool ambiguous, bool idempotent,
                            const retry_policy& policy, double jitter) {
    ++state.attempts;
    switch (c) {
        case retry_class::never: return {};
        case retry_class::throttled:
            if (++state.throttled >= policy.throttled_attempts) return {};
            return {true, false, backoff_delay(policy, state.throttled, jitter)};
        case retry_class::transient_bounded:
            if (ambiguous && !idempotent) return {};
            if (++state.transient >= policy.transient_attempts) return {};
            return {true, false, backoff_delay(policy, state.transient, jitter)};
        case retry_class::fresh_nonce:
            if (++state.nonce >= policy.nonce_attempts) return {};
            return {true, false, std::chrono::milliseconds{0}};
        case retry_class::refresh_credentials_once:
            if (state.credentials_refreshed) return {};
            state.credentials_refreshed = true;
            return {true, true, std::chrono::milliseconds{0}};
    }
    return {};
}

}  // namespace certman::cloud::alibaba
