// Internal to the app layer: one pass of one configured certificate (certificate_pass.hpp), as the steps
// run_certificate_pass (certificate_job.cpp) calls in order:
//   load state and bundle → decide → (nothing due: deploy what is stored) → backoff and limiter → take the
//   lease → check nobody changed things meanwhile → order → store → deploy and record the success.
// Each step updates the certificate's live status and the result line, and returns false when the pass ends
// there (result() then says why). A failed attempt is recorded by fail_attempt (persisted backoff, metrics, lease
// released); after a lost lease nothing is recorded, since the new holder owns the state from then on.
// Files: certificate_job.cpp (loading, deciding), ari_refresh.cpp (the CA's renewal window),
// certificate_lease.cpp (the lease of the pass), certificate_order.cpp (ordering, storing, recording the
// outcome), certificate_deploys.cpp (deploying), certificate_state_io.cpp (saving the state).
// The job lives in run_certificate_pass's coroutine frame, which awaits every step, so steps may use its
// members across co_await. Everything outside the job comes from its pass_dependencies.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include <boost/asio/awaitable.hpp>
#include "certman/app/cert_state.hpp"
#include "certman/app/certificate_pass.hpp"
#include "certman/crypto/private_key.hpp"
#include "certman/policy/renewal.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/lease_keeper.hpp"

namespace certman::app {

class certificate_job {
public:
    // `st` is the certificate's status entry, kept alive by the caller for the whole pass.
    certificate_job(const pass_dependencies& deps, certificate_config cert, bool force, certificate_status& st);

    // Reads the renewal state and the stored bundle, refreshing the ARI window. False: storage unreadable.
    boost::asio::awaitable<bool> load();
    // Asks the policy; true when a renewal is due or forced.
    bool renewal_due();
    // Nothing due: deploys the stored bundle where it is missing and persists the state if it changed.
    boost::asio::awaitable<void> keep_current();
    // False while a backoff, the CA's validation-failure limit or the pacing of new orders holds (never for a
    // forced renewal).
    bool may_order();
    // False while the pacing of new orders (policy::order_pacer) makes this certificate wait.
    bool paced();
    // Takes the lease and starts refreshing it; after a takeover, waits until it has settled on us.
    boost::asio::awaitable<bool> take_lease();
    // False (lease released) when another instance stored a certificate or a failure since load.
    boost::asio::awaitable<bool> check_unchanged();
    // Saves the state with attempt_started = now; false (a failure recorded, kept in memory) when storage
    // refuses the write: nothing is ordered then.
    boost::asio::awaitable<bool> save_attempt();
    // Orders a certificate with a fresh key; false after a failure (recorded) or a lost lease.
    boost::asio::awaitable<bool> order_certificate();
    // Stores the new bundle if the lease is still ours (and exports live/ for a dir storage).
    boost::asio::awaitable<bool> store_bundle();
    // Records the success, deploys, persists the state, releases the lease and schedules the next check.
    boost::asio::awaitable<void> finish();

    const certificate_result& result() const { return out_; }

private:
    // ari_refresh.cpp: the CA's renewal window for the stored bundle, polled when due.
    boost::asio::awaitable<void> refresh_ari();
    // certificate_deploys.cpp: deploys `bundle` where it is not yet delivered (always when issued_now).
    boost::asio::awaitable<bool> deploy_bundle(const storage::certificate_bundle& bundle, bool issued_now);
    std::string& delivered_serial(const std::string& deployer_name);
    void report(const std::string& line) const;
    boost::asio::awaitable<void> fail_attempt(std::string description, std::string reason,
                                          std::optional<std::chrono::sys_seconds> retry_after);
    boost::asio::awaitable<void> give_up_lost(std::string what);
    boost::asio::awaitable<void> drop_lease();
    // certificate_state_io.cpp: writes state_; on failure keeps it in the pass memory and reports the
    // storage error in the live status. True when storage accepted it.
    boost::asio::awaitable<bool> save_state();
    // A storage error of this pass, for /status and /metrics.
    void note_storage_error(std::string what);
    // After loading: a state this process could not save (newer failures) wins over the stored one.
    void merge_unsaved_state();
    acme::order_request order_request_for(const crypto::private_key& key) const;

    const pass_dependencies& d_;
    const certificate_config cert_;
    const bool force_;
    certificate_status& st_;
    const std::chrono::sys_seconds now_;
    certificate_result out_;

    cert_state state_;
    std::string state_as_loaded_;  // written back only when changed: the fleet shares it (cluster mode)
    const std::string state_key_;
    std::optional<storage::certificate_bundle> bundle_;
    std::string bundle_as_loaded_;
    policy::wanted want_;
    policy::decision decision_;
    std::optional<storage::lease_keeper> keeper_;
    std::optional<storage::certificate_bundle> fresh_;
    std::vector<acme::identifier> identifiers_;  // of the order, for the success log
};

}  // namespace certman::app
