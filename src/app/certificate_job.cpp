// One certificate, one pass (renewal_manager.hpp): the list of steps, and the first ones: loading what is
// stored, deciding, keeping a valid certificate deployed, respecting backoff and limits (certificate_job.hpp).
#include <random>
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

asio::awaitable<certificate_result> renewal_manager::run_certificate(certificate_config cert, bool force) {
    if (!in_progress_.insert(cert.name).second) {
        certificate_result busy{cert.name, false, cert.name + ": an order is already running"};
        co_return busy;
    }
    struct release { std::set<std::string>& s; std::string n; ~release() { s.erase(n); } } guard{in_progress_, cert.name};
    const auto status = status_of(cert);  // kept alive across a reload
    struct count_check { certificate_status& s; ~count_check() { ++s.checks; } } counted{*status};  // on every exit
    certificate_job job(*this, std::move(cert), force, *status);

    if (!co_await job.run_load()) co_return job.result();
    if (!job.renewal_due()) {
        co_await job.run_keep_current();
        co_return job.result();
    }
    if (!job.may_order()) co_return job.result();
    const auto slot = co_await order_slots_.acquire();  // renewal.max_concurrent_orders
    if (!slot) co_return job.result();                   // cancelled while waiting: certman is stopping
    if (!co_await job.run_take_lease()) co_return job.result();
    if (!co_await job.run_check_unchanged()) co_return job.result();
    if (!co_await job.run_save_attempt()) co_return job.result();
    if (!co_await job.run_order()) co_return job.result();
    if (!co_await job.run_store()) co_return job.result();
    co_await job.run_finish();
    co_return job.result();
}

namespace {
double draw01() {
    static std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}
}  // namespace

certificate_job::certificate_job(renewal_manager& m, certificate_config cert, bool force, certificate_status& st)
    : m_(m), cert_(std::move(cert)), force_(force), st_(st), now_(wall_now()), out_{cert_.name, false, ""},
      state_key_(storage::state_key(cert_.name)) {}

asio::awaitable<bool> certificate_job::run_load() {
    if (auto raw = co_await m_.storage_->load(state_key_)) {
        state_as_loaded_ = *raw;
        if (auto parsed = parse_cert_state(*raw)) state_ = std::move(*parsed);
        else spdlog::warn("certificate {}: renewal state {} is unreadable; starting from a fresh state", cert_.name, state_key_);
    }
    merge_unsaved_state();
    if (state_.random01 < 0 || state_.random01 >= 1) state_.random01 = draw01();

    if (auto raw = co_await m_.storage_->load(storage::certificate_key(cert_.name))) {
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
        co_await m_.run_refresh_ari(cert_.name, *bundle_, state_, now_);
        st_.serial = bundle_->serial;
        st_.not_before = bundle_->not_before;
        st_.not_after = bundle_->not_after;
    }
    co_return true;
}

bool certificate_job::renewal_due() {
    policy::stored_info info;
    if (bundle_) info = {bundle_->names, bundle_->key_type, bundle_->not_before, bundle_->not_after, bundle_->profile,
                        bundle_->directory_url};
    const auto renew_before = cert_.renew_before ? cert_.renew_before : m_.rt_.cfg.renewal.renew_before;
    want_ = policy::wanted{cert_.domains, cert_.key_type, renew_before, cert_.profile, m_.rt_.cfg.acme.directory};
    decision_ = policy::should_renew(bundle_ ? &info : nullptr, want_, now_, state_.ari, state_.random01);
    st_.next_renewal = decision_.renew_at;
    st_.next_renewal_reason = policy::to_string(decision_.schedule);
    return decision_.renew || force_;
}

asio::awaitable<void> certificate_job::run_keep_current() {
    auto line = decision_.explain();
    auto& logged = m_.last_logged_[cert_.name];
    if (logged != line) spdlog::info("certificate {}: {}", cert_.name, line);
    logged = line;
    bool ok = co_await m_.run_deploys(cert_, *bundle_, state_, false);
    if (to_json(state_) != state_as_loaded_) co_await run_save_state();
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
            if (m_.last_logged_[cert_.name] != key) spdlog::warn("certificate {}", out_.line);
            m_.last_logged_[cert_.name] = key;
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
    spdlog::info("certificate {}: {}", cert_.name, force_ ? std::string("renewal forced by the operator") : decision_.explain());
    m_.last_logged_[cert_.name].clear();
    return true;
}
}  // namespace certman::app
