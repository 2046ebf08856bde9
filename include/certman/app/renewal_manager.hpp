// The renewal manager: keeps every configured certificate valid. It owns the storage, the ACME client (one
// account per directory) and the deployers, and runs
//  - start(): one task per certificate (run_certificate_loop) in the runtime's task_group: a pass at start,
//    then at the certificate's own next check (renewal.check_interval with jitter, or earlier when its
//    renewal or ARI poll is due). A hung order, deploy or storage call delays only its own certificate;
//    orders across certificates are bounded by renewal.max_concurrent_orders (an async semaphore);
//  - run_pass(force, names): `certman renew`: the selected certificates once, then returns their results.
// One pass of one certificate decides (policy::should_renew, pure), respects the persisted backoff and the
// authorization-failure limiter, orders (never two orders for one certificate), stores atomically, then
// deploys; failed deploys are retried on the next pass even when nothing was issued.
// Logs say once per decision what was decided and why.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include "certman/acme/client.hpp"
#include "certman/app/cert_state.hpp"
#include "certman/app/async_semaphore.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/runtime.hpp"
#include "certman/deploy/deployer.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

struct certificate_result {
    std::string name;
    bool ok = false;
    std::string line;  // one line for `certman renew` output
};

class renewal_manager {
public:
    // Builds storage, HTTP client and deployers from rt.cfg. Throws std::exception with a message for
    // the operator when something cannot be set up (unusable storage, unknown deployer kind, bad trusted_ca).
    explicit renewal_manager(runtime& rt);
    ~renewal_manager();

    // Spawns one renewal task per configured certificate into rt.tasks (the daemon).
    void start();
    boost::asio::awaitable<std::vector<certificate_result>> run_pass(bool force, const std::vector<std::string>& names);
    // One pass of one certificate now, as its task would run it (the control socket's `renew`): never two
    // at once for one certificate (the second answers "an order is already running").
    boost::asio::awaitable<certificate_result> run_one_now(certificate_config cert, bool force) {
        return run_certificate(std::move(cert), force);
    }
    // Applies a reloaded configuration (rt.cfg is already the new one; `deployers` were built from it by
    // make_deployers, so nothing here can fail): new certificates get their task, removed ones stop (files
    // stay), every certificate is checked again now.
    void reconfigure(deployer_map deployers);
    storage::storage& store() { return *storage_; }
    acme::client* acme_client() { return acme_.get(); }
    boost::asio::awaitable<result<void>> run_ensure_acme();

private:
    friend class certificate_job;  // the steps of run_certificate (src/app/certificate_job.hpp)

    struct certificate_task;  // a certificate's wake-up timer (renewal_manager.cpp)
    boost::asio::awaitable<void> run_certificate_loop(std::string name);
    boost::asio::awaitable<void> run_wait_next_check(const std::string& name, certificate_task& task);
    boost::asio::awaitable<certificate_result> run_certificate(certificate_config cert, bool force);
    boost::asio::awaitable<bool> run_deploys(const certificate_config& cert, const storage::certificate_bundle& bundle,
                                             struct cert_state& state, bool issued_now);
    boost::asio::awaitable<void> run_refresh_ari(const std::string& name, const storage::certificate_bundle& bundle,
                                                 struct cert_state& state, std::chrono::sys_seconds now);
    // The directory's renewalInfo URL (the directory is fetched once, without an account); nullopt when the
    // CA offers no ARI or cannot be reached.
    boost::asio::awaitable<std::optional<std::string>> run_renewal_info_url();
    std::string& delivered_serial(const std::string& cert_name, const std::string& deployer_name, struct cert_state& state);
    // The live status entry of a certificate; callers keep the pointer across co_await (a reload may replace
    // rt_.certificates meanwhile).
    std::shared_ptr<certificate_status> status_of(const certificate_config& cert);
    net::http_client& http();
    void update_statuses();
    void wake();

    runtime& rt_;
    std::unique_ptr<storage::storage> storage_;
    std::unique_ptr<net::http_client> http_;
    std::shared_ptr<acme::client> acme_;     // shared: orders in flight keep theirs across a reload
    async_semaphore account_setup_;          // one coroutine sets the account up, the others wait for it
    async_semaphore order_slots_;            // renewal.max_concurrent_orders
    std::string acme_directory_;
    std::optional<acme::directory> directory_;        // for ARI; fetched without an account
    std::string directory_url_;
    std::map<std::string, std::chrono::sys_seconds> ari_polls_;  // certificate → next renewalInfo poll (wakes the loop)
    deployer_map deployers_;
    std::map<std::string, std::shared_ptr<certificate_task>> tasks_;  // running per-certificate tasks
    std::set<std::string> in_progress_;
    std::map<std::string, std::string> last_logged_;  // certificate → last decision line logged
    std::map<std::string, std::string> local_deployed_;  // "cert/deployer" → serial, machine-local targets in cluster mode
    // Renewal states storage refused to save (certificate_state_io.cpp): their failures and backoff still
    // hold in this process until a write succeeds.
    std::map<std::string, struct cert_state> unsaved_states_;
};

}  // namespace certman::app
