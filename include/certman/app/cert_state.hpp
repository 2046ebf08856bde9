// The renewal state certman keeps per certificate in storage (state/<name>.json), so that restarts and other
// instances sharing the storage never retry faster than one instance would (README.md "Renewal policy and backoff", docs/cluster-mode.md):
// the failure backoff, the per-name authorization-failure counter, the random draw that places the renewal
// inside an ARI window, the last ARI window, and which serial each deployer last received.
// Pure: JSON in and out.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include "certman/core/result.hpp"
#include "certman/policy/ari.hpp"
#include "certman/policy/authz_limiter.hpp"
#include "certman/policy/backoff.hpp"

namespace certman::app {

struct cert_state {
    policy::failure_state failures;
    policy::authz_limiter authz;
    double random01 = -1;                           // < 0: not drawn yet
    std::optional<policy::ari_window> ari;          // the CA's last valid answer for ari_cert_id
    std::string ari_cert_id;                        // the certID the window and the poll time belong to
    std::chrono::sys_seconds ari_next_poll{};       // renewalInfo is not fetched again before this, even
                                                    // after a failed or malformed answer (epoch: fetch now)
    std::map<std::string, std::string> deployed;    // deployer name → serial it last received successfully
    std::string last_failure_reason;                // short reason for metrics ("acme:connection", "timeout")
    // When the latest order was about to start. Written before every order: an order is placed only once
    // storage has accepted this write, so a storage that refuses writes cannot make certman order again and
    // again while forgetting each attempt.
    std::optional<std::chrono::sys_seconds> attempt_started;
};

std::string to_json(const cert_state& s);
// Unknown members are ignored; a garbled document → errc::parse_error (the caller starts from a fresh state
// and says so in the log rather than crash-looping).
result<cert_state> parse_cert_state(std::string_view text);

}  // namespace certman::app
