// One certificate, one pass (certificate_pass.hpp): the list of steps, and the first ones: loading what is
// stored, deciding, keeping a valid certificate deployed, respecting backoff and limits (certificate_job.hpp).
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/storage/keys.hpp"
#include "order_results.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
asio::awaitable<void> step_through(const pass_dependencies& deps, certificate_job& job) {
    if (!co_await job.load()) co_return;
    if (!job.renewal_due()) {
        co_await job.keep_current();
        co_return;
    }
    if (!job.may_order()) co_return;
    const auto slot = co_await deps.order_slots.acquire();  // renewal.max_concurrent_orders
    if (!slot) co_return;                                    // cancelled while waiting: certman is stopping
    if (!co_await job.take_lease()) co_return;
    if (!co_await job.check_unchanged()) co_return;
    if (!co_await job.save_attempt()) co_return;
    if (!co_await job.order_certificate()) co_return;
    if (!co_await job.store_bundle()) co_return;
    co_await job.finish();
}
}  // namespace

asio::awaitable<certificate_result> run_certificate_pass(const pass_dependencies& deps, certificate_config cert,
                                                       bool force, certificate_status& status) {
    certificate_job job(deps, std::move(cert), force, status);
    co_await step_through(deps, job);
    if (deps.progress) deps.progress(job.result().line);
    co_return job.result();
}

certificate_job::certificate_job(const pass_dependencies& deps, certificate_config cert, bool force,
                                 certificate_status& st)
    : d_(deps), cert_(std::move(cert)), force_(force), st_(st), now_(deps.clock.now()), out_{cert_.name, false, ""},
      state_key_(storage::state_key(cert_.name)) {}

void certificate_job::report(const std::string& line) const {
    if (d_.progress) d_.progress(line);
}

asio::awaitable<bool> certificate_job::load() {
    if (auto raw = co_await d_.store.load(state_key_)) {
        state_as_loaded_ = *raw;
        if (auto parsed = parse_cert_state(*raw)) state_ = std::move(*parsed);
        else spdlog::warn("certificate {}: renewal state {} is unreadable; starting from a fresh state", cert_.name, state_key_);
    }
    merge_unsaved_state();
    if (state_.random01 < 0 || state_.random01 >= 1) state_.random01 = d_.random01();

    if (auto raw = co_await d_.store.load(storage::certificate_key(cert_.name))) {
        bundle_as_loaded_ = *raw;
        if (auto b = storage::bundle_from_json(*raw)) bundle_ = std::move(*b);
        else spdlog::warn("certificate {}: stored bundle is unreadable; a new certificate will be ordered", cert_.name);
    } else if (raw.error() != errc::not_found) {
        out_.line = cert_.name + ": cannot read storage: " + raw.error().message();
        st_.last_error = out_.line;
        note_storage_error(out_.line);
        spdlog::error("certificate {}", out_.line);
        co_return false;
    }
    if (bundle_) {
        co_await refresh_ari();
        st_.serial = bundle_->serial;
        st_.not_before = bundle_->not_before;
        st_.not_after = bundle_->not_after;
    }
    co_return true;
}

bool certificate_job::renewal_due() {
    policy::stored_info info;
    if (bundle_) info = stored_info_of(*bundle_);
    want_ = wanted_of(d_.cfg, cert_);
    decision_ = policy::should_renew(bundle_ ? &info : nullptr, want_, now_, state_.ari, state_.random01);
    st_.next_renewal = decision_.renew_at;
    st_.next_renewal_reason = policy::to_string(decision_.schedule);
    return decision_.renew || force_;
}

asio::awaitable<void> certificate_job::keep_current() {
    auto line = decision_.explain();
    auto& logged = d_.memory.last_logged[cert_.name];
    if (logged != line) spdlog::info("certificate {}: {}", cert_.name, line);
    logged = line;
    bool ok = co_await deploy_bundle(*bundle_, false);
    if (to_json(state_) != state_as_loaded_) co_await save_state();
    out_.ok = ok;
    out_.line = cert_.name + ": valid until " + format_rfc3339(bundle_->not_after) + (ok ? "" : ", deploy failed");
}

bool certificate_job::may_order() {
    if (!force_) {
        auto next = policy::next_attempt(state_.failures, state_.random01);
        if (next > now_) {
            st_.next_renewal = next;
            out_.line = cert_.name + ": backing off after " + std::to_string(state_.failures.consecutive_failures) +
                        " failures until " + format_rfc3339(next) + " (last error: " + state_.failures.last_error + ")";
            const auto key = "backoff" + format_rfc3339(next);
            if (d_.memory.last_logged[cert_.name] != key) spdlog::warn("certificate {}", out_.line);
            d_.memory.last_logged[cert_.name] = key;
            return false;
        }
        if (auto until = state_.authz.refused_until(cert_.domains, now_)) {
            st_.next_renewal = *until;
            out_.line = cert_.name + ": " + std::to_string(policy::authz_limiter::max_failures) +
                        " validation failures in the last hour; waiting until " + format_rfc3339(*until) +
                        " to stay under the CA's limit";
            spdlog::warn("certificate {}", out_.line);
            return false;
        }
    }
    if (!paced()) return false;
    const auto why = force_ ? std::string("renewal forced by the operator") : decision_.explain();
    spdlog::info("certificate {}: {}", cert_.name, why);
    report(cert_.name + ": " + why);
    d_.memory.last_logged[cert_.name].clear();
    return true;
}

// The CA's limit of new orders per account (policy/order_pacer.hpp): past the burst, each certificate waits
// for the moment reserved for it; its task wakes then (next_renewal). A forced renewal goes now, and counts.
bool certificate_job::paced() {
    auto& pacer = d_.memory.order_pacer;
    if (force_) {
        pacer.take_now(now_);
        return true;
    }
    const auto at = pacer.reserve(cert_.name, now_);
    if (at <= now_) return true;
    st_.next_renewal = at;
    out_.line = cert_.name + ": " + decision_.explain() + "; waiting until " + format_rfc3339(at) +
                " to stay under the CA's limit of new orders per account";
    const auto key = "paced" + format_rfc3339(at);
    if (d_.memory.last_logged[cert_.name] != key) spdlog::info("certificate {}", out_.line);
    d_.memory.last_logged[cert_.name] = key;
    return false;
}
}  // namespace certman::app
