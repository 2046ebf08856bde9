// Deploying a stored certificate to each of its deployers, and remembering what each target already serves
// (certificate_job.hpp).
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"

namespace certman::app {
namespace asio = boost::asio;

// With shared storage (cluster mode) the renewal state is the fleet's, but a machine-local target (files,
// HAProxy) exists once per instance: each instance must deploy to its own, so "already delivered" for those
// is remembered in this process only (after a restart the deployer re-checks its target: deploys are
// idempotent). A shared target (an SLB, ALB or NLB listener) is recorded in the shared state, so the fleet
// uploads once.
std::string& certificate_job::delivered_serial(const std::string& deployer_name) {
    const auto* d = d_.cfg.find_deployer(deployer_name);
    const bool machine_local = !d_.cfg.storage.local_directory() && d != nullptr &&
                               !std::holds_alternative<deploy::slb_deployer_options>(d->options) &&
                               !std::holds_alternative<deploy::alb_deployer_options>(d->options) &&
                               !std::holds_alternative<deploy::nlb_deployer_options>(d->options);
    if (machine_local) return d_.memory.local_deployed[cert_.name + "/" + deployer_name];
    return state_.deployed[deployer_name];
}

asio::awaitable<bool> certificate_job::deploy_bundle(const storage::certificate_bundle& bundle, bool issued_now) {
    bool all_ok = true;
    for (const auto& name : cert_.deploy) {
        auto it = d_.deployers.find(name);
        if (it == d_.deployers.end()) continue;
        const auto target = it->second;  // alive even if a reload rebuilds the deployers while it works
        auto& ds = st_.deploys[name];
        auto& delivered = delivered_serial(name);
        // Already delivered (this process or a previous one): nothing to do until the next certificate.
        if (!issued_now && delivered == bundle.serial) {
            ds.ok = true;
            ds.deployed_serial = bundle.serial;
            continue;
        }
        ds.last_attempt = d_.clock.now();
        report(cert_.name + ": deploying serial " + bundle.serial + " with " + name);
        auto r = co_await target->deploy(cert_.name, bundle);
        if (r) {
            ds.ok = true;
            ds.last_success = d_.clock.now();
            ds.deployed_serial = bundle.serial;
            ds.last_error.clear();
            ++ds.successes;
            delivered = bundle.serial;
            const auto what = r->changed ? r->detail : "already serving serial " + bundle.serial;
            spdlog::info("certificate {}: deployer {}: {}", cert_.name, name, what);
            report(cert_.name + ": deployer " + name + ": " + what);
        } else {
            all_ok = false;
            ds.ok = false;
            ds.last_error = r.error().message();
            ++ds.failures;
            spdlog::error("certificate {}: deployer {} failed (retried next pass): {}", cert_.name, name, ds.last_error);
            report(cert_.name + ": deployer " + name + " failed: " + r.error().what() +
                   "; it is retried on the next pass, or now with `certman renew " + cert_.name + "` once fixed");
        }
    }
    co_return all_ok;
}

}  // namespace certman::app
