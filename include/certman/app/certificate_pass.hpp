// One renewal pass of one certificate, with every dependency passed in (no I/O of its own beyond them), so a
// whole pass runs in a unit test on an in-memory storage, a scripted ACME service and a fixed clock
// (tests/app/certificate_pass_test.cpp). The renewal manager (renewal_manager.hpp) builds the dependencies
// once and runs passes; the steps are in src/app/certificate_job.hpp.
// A pass decides (policy::should_renew, pure), respects the persisted backoff and the authorization-failure
// limiter, orders (under the certificate's lease, after the state with attempt_started was saved), stores
// atomically, then deploys; failed deploys are retried on the next pass even when nothing was issued.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include "certman/app/acme_service.hpp"
#include "certman/app/async_semaphore.hpp"
#include "certman/app/blocking_pool.hpp"
#include "certman/app/cert_state.hpp"
#include "certman/app/clock.hpp"
#include "certman/app/config.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/status.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/policy/order_pacer.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

struct certificate_result {
    std::string name;
    bool ok = false;
    std::string line;  // one line for `certman renew` output
};

// What this process remembers between passes (the shared truth is the state in storage).
struct pass_memory {
    std::map<std::string, std::string> last_logged;     // certificate → last decision line logged
    std::map<std::string, std::string> local_deployed;  // "cert/deployer" → serial, machine-local targets in cluster mode
    std::map<std::string, std::chrono::sys_seconds> ari_polls;  // certificate → next renewalInfo poll
    // Renewal states storage refused to save (certificate_state_io.cpp): their failures and backoff still
    // hold in this process until a write succeeds.
    std::map<std::string, cert_state> unsaved_states;
    // New orders of this process's account, paced under Let's Encrypt's 300 per 3 hours (order_pacer.hpp).
    policy::order_pacer order_pacer;
};

// Everything a pass uses; each referenced object outlives the pass. `cfg` and `deployers` are read live
// (a reload may change them between steps, as in the daemon).
struct pass_dependencies {
    const config& cfg;
    storage::storage& store;
    acme_service& acme;
    const deployer_map& deployers;
    app::clock& clock;
    std::function<double()> random01;     // uniform in [0, 1): the ARI draw and nothing else
    blocking_pool& blocking;              // certificate key generation
    net::challenge_store& challenges;     // HTTP-01 key authorizations served by the public listener
    async_semaphore& order_slots;         // renewal.max_concurrent_orders across certificates
    pass_memory& memory;
    // After a new certificate was stored (the dir storage's live/ export), awaited before the deploys; the
    // awaitable owns what it uses (the arguments are gone when it resumes); may be empty.
    std::function<boost::asio::awaitable<void>(const std::string& name, const storage::certificate_bundle&)> after_store;
    // Progress of the pass, one line per step reached (for `renew now` on the control socket); may be empty.
    std::function<void(const std::string& line)> progress;
};

// Runs one pass of `cert` (forced: renews whatever the policy says, ignoring backoff and the limiter).
// `status` is the certificate's live entry, updated as the pass goes. Never throws for expected failures:
// they are in the result, the status and the stored state.
boost::asio::awaitable<certificate_result> run_certificate_pass(const pass_dependencies& deps, certificate_config cert,
                                                                bool force, certificate_status& status);

// How long a certificate's task sleeps before its next pass: renewal.check_interval scaled by `jitter`
// (0.9 to 1.1, so a fleet started together does not tick together), or less, unjittered, when its renewal
// or its ARI poll (RFC 9773 §4.3) is due earlier (one second after it).
std::chrono::milliseconds next_check_delay(std::chrono::sys_seconds now, std::chrono::seconds check_interval,
                                           std::optional<std::chrono::sys_seconds> next_renewal,
                                           std::optional<std::chrono::sys_seconds> ari_poll, double jitter);

}  // namespace certman::app
