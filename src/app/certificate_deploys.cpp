// Deploying a stored certificate to each of its deployers, and remembering what each target already serves
// (renewal_manager.hpp).
#include <spdlog/spdlog.h>
#include "certman/app/cert_state.hpp"
#include "certman/app/renewal_manager.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
std::chrono::sys_seconds now_s() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}
}  // namespace

// With shared storage (cluster mode) the renewal state is the fleet's, but a machine-local target (files,
// HAProxy) exists once per instance: each instance must deploy to its own, so "already delivered" for those
// is remembered in this process only (after a restart the deployer re-checks its target: deploys are
// idempotent). A shared target (the SLB listener) is recorded in the shared state, so the fleet uploads once.
std::string& renewal_manager::delivered_serial(const std::string& cert_name, const std::string& deployer_name,
                                               cert_state& state) {
    const auto* d = rt_.cfg.find_deployer(deployer_name);
    const bool machine_local = !rt_.cfg.storage.local_directory() && d != nullptr &&
                               !std::holds_alternative<deploy::slb_deployer_options>(d->options);
    if (machine_local) return local_deployed_[cert_name + "/" + deployer_name];
    return state.deployed[deployer_name];
}

asio::awaitable<bool> renewal_manager::run_deploys(const certificate_config& cert, const storage::certificate_bundle& bundle,
                                                   cert_state& state, bool issued_now) {
    bool all_ok = true;
    const auto status = status_of(cert);
    auto& st = *status;
    for (const auto& name : cert.deploy) {
        auto it = deployers_.find(name);
        if (it == deployers_.end()) continue;
        const auto target = it->second;  // alive even if a reload rebuilds deployers_ while it works
        auto& ds = st.deploys[name];
        auto& delivered = delivered_serial(cert.name, name, state);
        // Already delivered (this process or a previous one): nothing to do until the next certificate.
        if (!issued_now && delivered == bundle.serial) {
            ds.ok = true;
            ds.deployed_serial = bundle.serial;
            continue;
        }
        ds.last_attempt = now_s();
        auto r = co_await target->deploy(cert.name, bundle);
        if (r) {
            ds.ok = true;
            ds.last_success = now_s();
            ds.deployed_serial = bundle.serial;
            ds.last_error.clear();
            ++ds.successes;
            delivered = bundle.serial;
            spdlog::info("certificate {}: deployer {}: {}", cert.name, name,
                         r->changed ? r->detail : "already serving serial " + bundle.serial);
        } else {
            all_ok = false;
            ds.ok = false;
            ds.last_error = r.error().message();
            ++ds.failures;
            spdlog::error("certificate {}: deployer {} failed (retried next pass): {}", cert.name, name, ds.last_error);
        }
    }
    co_return all_ok;
}

}  // namespace certman::app
