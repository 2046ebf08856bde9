// Internal to the app layer: cluster mode's answer to a challenge token this instance does not hold
// (docs/cluster-mode.md). Another instance may have published it in the shared bucket; but the public port
// faces anyone, and a bucket read per unknown token would let a scan of random tokens turn into as many
// GetObjects (each retried, each held up to a minute when OSS is slow). So a token reaches the bucket only
// when all of these hold:
//  1. it is well-formed (plausible_token): RFC 8555 §8.3 tokens are base64url without padding and carry at
//     least 128 bits of entropy, so at least 22 characters; longer than 256 is nobody's token;
//  2. some instance holds an order lease: challenges are only published under one (certificate_lease.cpp).
//     Known from one ListObjects over leases/, shared by every request and cached: "a lease exists" for
//     lease_seen_ttl, "none" for only no_lease_ttl. Trade-off: an instance that takes a lease right after our
//     listing said "none" is not seen for up to no_lease_ttl; its challenge is published after the lease, the
//     order and the authorization round trips, and the CA validates only after being told to, so the window
//     closes before the CA asks unless all of that takes less than no_lease_ttl. A listing that fails counts
//     as "a lease exists" (real validations keep working while the bucket is flaky, bounded by 3.);
//  3. fewer than max_lookups reads are in flight; beyond that the answer is 404 at once.
// Reads go through `lookups`, a storage built for this (storage_factory.hpp, open_lookup_storage): one
// attempt, a short timeout. Found answers are cached 10 s, misses 2 s, and concurrent requests for one token
// share one read. A read that failed (timeout, 5xx) is not remembered: the CA's next request for the token
// (another vantage point, a retried validation) reads again.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/any_io_executor.hpp>
#include "certman/storage/storage.hpp"

namespace certman::app {

struct challenge_fallback_options {
    std::size_t max_lookups = 8;
    std::chrono::milliseconds lease_seen_ttl{5000};
    std::chrono::milliseconds no_lease_ttl{1000};
};

// RFC 8555 §8.3: [A-Za-z0-9_-]{22,256}. Pure.
bool plausible_token(std::string_view token);

using challenge_fallback = std::function<boost::asio::awaitable<std::optional<std::string>>(std::string)>;
challenge_fallback make_challenge_fallback(boost::asio::any_io_executor ex, std::shared_ptr<storage::storage> lookups,
                                           challenge_fallback_options options = {});

}  // namespace certman::app
