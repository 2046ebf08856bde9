// The renewal manager: keeps every configured certificate valid. It owns the storage, the ACME service (one
// account per directory) and the deployers, and runs
//  - start(): one task per certificate (run_certificate_loop) in the daemon's task_group: a pass at start,
//    then at the certificate's own next check (next_check_delay, certificate_pass.hpp). A hung order,
//    deploy or storage call delays only its own certificate; orders across certificates are bounded by
//    renewal.max_concurrent_orders (an async semaphore);
//  - run_pass(force, names): `certman renew`: the selected certificates once, then returns their results;
//  - run_renew_now(name, force, progress): one certificate now, reporting each step (the control socket).
// One pass of one certificate is run_certificate_pass (certificate_pass.hpp); never two at once for one
// certificate. Logs say once per decision what was decided and why.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include "certman/acme/client.hpp"
#include "certman/app/acme_service.hpp"
#include "certman/app/async_semaphore.hpp"
#include "certman/app/certificate_pass.hpp"
#include "certman/app/clock.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/task_group.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// What the manager uses of the running daemon (runtime::create_manager); each reference outlives the manager. `cfg` is
// the live configuration (a reload assigns the new one to the same object, then calls reconfigure).
struct renewal_environment {
    boost::asio::any_io_executor executor;
    blocking_pool& blocking;
    const config& cfg;
    std::string config_path;
    net::challenge_store& challenges;
    std::vector<std::shared_ptr<certificate_status>>& statuses;  // /status; one entry per certificate
    acme_stats& acme;
    task_group& tasks;                                           // where start() spawns the per-certificate tasks
    std::function<bool()> stop_requested;
};

// The adapters the manager works with; tests pass fakes (tests/app/renewal_manager_test.cpp).
struct renewal_adapters {
    std::unique_ptr<storage::storage> store;
    std::unique_ptr<acme_service> acme;  // null: the real one over acme::client, built on `store`
    deployer_map deployers;
    app::clock* clock = nullptr;         // null: system_clock()
    std::function<double()> random01;    // empty: a process-wide std::mt19937_64
    // After a new certificate was stored (the dir storage's live/ export, on the blocking pool); awaited by
    // the pass before its deploys; may be empty.
    std::function<boost::asio::awaitable<void>(const std::string& name, const storage::certificate_bundle&)> after_store;
};

using progress_callback = std::function<void(const std::string& line)>;

class renewal_manager {
public:
    // Builds storage, HTTP client and deployers from env.cfg. Throws std::exception with a message for
    // the operator when something cannot be set up (unusable storage, unknown deployer kind, bad trusted_ca).
    explicit renewal_manager(renewal_environment env);
    renewal_manager(renewal_environment env, renewal_adapters adapters);
    ~renewal_manager();

    // Spawns one renewal task per configured certificate into env.tasks (the daemon).
    void start();
    boost::asio::awaitable<std::vector<certificate_result>> run_pass(bool force, const std::vector<std::string>& names);
    // Runs one pass of the certificate `name` now, as its task would (the control socket's `renew`; with
    // `force`, whatever the policy, backoff and limiter say),
    // calling `progress` (may be empty) with one line per step reached and, last, the result line. Its
    // result is ok = false with a line saying why when `name` is not configured or a pass of it is running.
    boost::asio::awaitable<certificate_result> run_renew_now(std::string name, bool force, progress_callback progress);
    // Applies a reloaded configuration (env.cfg is already the new one; `deployers` were built from it by
    // make_deployers, so nothing here can fail): new certificates get their task, removed ones stop (files
    // stay), every certificate is checked again now.
    void reconfigure(deployer_map deployers);
    storage::storage& store() { return *storage_; }
    acme::client* acme_client() { return acme_->client(); }
    // The HTTP client the ACME client uses ([acme] trusted_ca), for one-off ACME probes (`certman import`).
    net::http_client& http_client() { return http(); }
    boost::asio::awaitable<result<void>> ensure_acme_account() { return acme_->ensure_account(); }

private:
    struct certificate_task;  // a certificate's wake-up timer (renewal_tasks.cpp)
    boost::asio::awaitable<void> run_certificate_loop(std::string name);
    boost::asio::awaitable<void> wait_next_check(const std::string& name, certificate_task& task);
    boost::asio::awaitable<certificate_result> run_certificate(certificate_config cert, bool force,
                                                               progress_callback progress = {});
    // The live status entry of a certificate; callers keep the pointer across co_await (a reload may replace
    // the list meanwhile).
    std::shared_ptr<certificate_status> status_of(const certificate_config& cert);
    net::http_client& http();
    void update_statuses();
    void wake();

    renewal_environment env_;
    std::unique_ptr<storage::storage> storage_;
    std::unique_ptr<net::http_client> http_;
    std::unique_ptr<acme_service> acme_;
    deployer_map deployers_;
    app::clock& clock_;
    std::function<double()> random01_;
    std::function<boost::asio::awaitable<void>(const std::string&, const storage::certificate_bundle&)> after_store_;
    async_semaphore order_slots_;            // renewal.max_concurrent_orders
    std::map<std::string, std::shared_ptr<certificate_task>> tasks_;  // running per-certificate tasks
    std::set<std::string> in_progress_;
    pass_memory memory_;
};

}  // namespace certman::app
