// The renewal manager: keeps every configured certificate valid (issue 4). It owns the storage, the ACME
// client (one account per directory) and the deployers, and runs
//  - run_renewal_loop(): at start and every renewal.check_interval (with jitter), one pass;
//  - run_pass(force, names): for each certificate decide (policy::should_renew, pure), respect the persisted
//    backoff and the authorization-failure limiter, order (bounded concurrency, never two orders for one
//    certificate), store atomically, then deploy; retry failed deploys on the next pass even when nothing
//    was issued. Returns true when every selected certificate is valid and deployed.
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
    // Builds storage, HTTP client and deployers from rt.cfg. Throws std::runtime_error with a message for
    // the operator when something cannot be set up (unusable storage, unknown deployer kind, bad trusted_ca).
    explicit renewal_manager(runtime& rt);
    ~renewal_manager();

    boost::asio::awaitable<void> run_renewal_loop();
    boost::asio::awaitable<std::vector<certificate_result>> run_pass(bool force, const std::vector<std::string>& names);
    // Applies a reloaded configuration: new certificates start being managed, removed ones stop (files stay).
    void reconfigure();
    // Wakes the loop early (after a reload).
    void wake();
    storage::storage& store() { return *storage_; }
    acme::client* acme_client() { return acme_.get(); }
    boost::asio::awaitable<result<void>> run_ensure_acme();

private:
    friend class certificate_job;  // the steps of run_certificate (src/app/certificate_job.hpp)

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
    void build_deployers();

    runtime& rt_;
    std::unique_ptr<storage::storage> storage_;
    std::unique_ptr<net::http_client> http_;
    std::shared_ptr<acme::client> acme_;     // shared: orders in flight keep theirs across a reload
    bool acme_initializing_ = false;
    std::string acme_directory_;
    std::optional<acme::directory> directory_;        // for ARI; fetched without an account
    std::string directory_url_;
    std::map<std::string, std::chrono::sys_seconds> ari_polls_;  // certificate → next renewalInfo poll (wakes the loop)
    // Shared: a deploy that is running when a reload rebuilds this map keeps its deployer alive.
    std::map<std::string, std::shared_ptr<deploy::deployer>> deployers_;
    std::set<std::string> in_progress_;
    std::map<std::string, std::string> last_logged_;  // certificate → last decision line logged
    std::map<std::string, std::string> local_deployed_;  // "cert/deployer" → serial, machine-local targets in cluster mode
    // Renewal states storage refused to save (certificate_state_io.cpp): their failures and backoff still
    // hold in this process until a write succeeds.
    std::map<std::string, struct cert_state> unsaved_states_;
    std::unique_ptr<class wake_timer> wake_;
    int running_orders_ = 0;
};

}  // namespace certman::app
