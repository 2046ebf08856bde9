// Ordering one certificate and recording the outcome (certificate_job.hpp): the order under the lease, the
// store that only happens while the lease is still ours, then deploys; or the failure with its backoff.
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"
#include "certman/acme/identifier.hpp"
#include "certman/challenge/dns01_alidns_solver.hpp"
#include "certman/challenge/http01_solver.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "account_failure.hpp"
#include "order_results.hpp"

namespace certman::app {
namespace asio = boost::asio;
using std::chrono::sys_seconds;

namespace {
// The certificate's challenge type picks the solver (the order flow asks for challenges of its type()).
// http-01 with shared storage: any instance may receive the CA's request (challenge_fallback.hpp reads the bucket).
std::unique_ptr<acme::challenge_solver> solver_for(const config& cfg, const certificate_config& cert,
                                                   net::challenge_store& memory, storage::storage& store,
                                                   const asio::any_io_executor& executor) {
    if (cfg.challenge_type(cert) == "dns-01" && cfg.challenge.dns01)
        return std::visit([&](const auto& o) { return challenge::make_dns01_alidns_solver(executor, o); },
                          *cfg.challenge.dns01);
    if (cfg.storage.local_directory()) return challenge::make_http01_memory_solver(memory);
    return challenge::make_http01_shared_solver(memory, store);
}
}  // namespace

acme::order_request certificate_job::order_request_for(const crypto::private_key& key) const {
    const auto& cfg = d_.cfg;
    acme::order_request req;
    req.identifiers = identifiers_;
    req.certificate_key = &key;
    req.flow.deadline = d_.clock.now() + cfg.acme.order_timeout;
    if (!cert_.profile.empty()) req.flow.profile = cert_.profile;
    if (bundle_ && state_.ari && !state_.ari_cert_id.empty()) req.flow.replaces = state_.ari_cert_id;
    req.preferred_chain = cfg.acme.preferred_chain;
    return req;
}

asio::awaitable<bool> certificate_job::order_certificate() {
    // The task's cancellation (task_group.hpp): the order stops at its next step, through its failure path.
    const auto cs = co_await asio::this_coro::cancellation_state;
    acme::cancel_check cancel = [this, cs]() -> std::string {
        if (cs.cancelled() != asio::cancellation_type::none) return "certman is stopping";
        if (keeper_->lost()) return keeper_->why();
        return {};
    };
    if (auto r = co_await d_.acme.ensure_account(); !r) {
        // Named first: GCC 12 destroys temporaries of a ?: inside co_await twice (PR 101367).
        std::string why = account_failure_text(r.error().code(), d_.cfg.acme.directory);
        co_await fail_attempt(std::move(why), "account", std::nullopt);
        co_return false;
    }
    auto type = crypto::parse_key_type(cert_.key_type);
    const auto kind = type ? *type : crypto::key_type::ec256;
    auto key = co_await call_blocking(d_.blocking, [kind] { return crypto::generate_key(kind); });
    if (!key) {
        co_await fail_attempt("cannot generate a " + cert_.key_type + " key", "crypto", std::nullopt);
        co_return false;
    }
    identifiers_ = identifiers_of(cert_);
    auto req = order_request_for(*key);
    const auto solver = solver_for(d_.cfg, cert_, d_.challenges, d_.store, co_await asio::this_coro::executor);
    auto& sink = *solver;
    const auto directory_url = d_.acme.directory_url();  // of the account this order uses
    report(cert_.name + ": ordering a certificate for " + acme::join_values(identifiers_));
    std::optional<acme::problem> ca_problem;
    auto issued = co_await d_.acme.order_certificate(req, sink, cancel, &ca_problem);
    if (!issued && keeper_->lost()) {  // the new holder owns the state now: record nothing
        co_await give_up_lost("order cancelled, the lease was lost");
        co_return false;
    }
    if (!issued) {
        if (is_authorization_failure(ca_problem))
            for (const auto& n : cert_.domains) state_.authz.record_failure(n, d_.clock.now());
        std::optional<sys_seconds> retry_after;
        if (ca_problem && ca_problem->retry_after) retry_after = d_.clock.now() + *ca_problem->retry_after;
        co_await fail_attempt(issued.error().message(), failure_reason(issued.error(), ca_problem), retry_after);
        co_return false;
    }
    auto fresh = make_bundle(cert_, *key, *issued, d_.clock.now());
    if (!fresh) {
        co_await fail_attempt(fresh.error().message(), "protocol", std::nullopt);
        co_return false;
    }
    fresh->directory_url = directory_url;  // a later change of [acme] directory re-orders (policy)
    fresh_ = std::move(*fresh);
    co_return true;
}

asio::awaitable<bool> certificate_job::store_bundle() {
    auto& store = d_.store;
    if (keeper_->lost()) {
        co_await give_up_lost("lease lost while ordering; the result is discarded");
        co_return false;
    }
    if (auto ours = co_await storage::still_ours(store, keeper_->current(), d_.clock.now()); !ours) {
        out_.line = cert_.name + ": lease lost while ordering; the result is discarded";
        spdlog::error("certificate {}", out_.line);
        co_await keeper_->stop();
        co_return false;
    }
    if (auto r = co_await store.store(storage::certificate_key(cert_.name), storage::to_json(*fresh_)); !r) {
        note_storage_error("cannot store the new certificate: " + r.error().message());
        co_await fail_attempt("cannot store the new certificate: " + r.error().message(), "storage", std::nullopt);
        co_return false;
    }
    if (d_.after_store) co_await d_.after_store(cert_.name, *fresh_);
    report(cert_.name + ": stored serial " + fresh_->serial);
    co_return true;
}

asio::awaitable<void> certificate_job::finish() {
    const auto& fresh = *fresh_;
    policy::record_success(state_.failures);
    state_.authz = policy::authz_limiter{};
    state_.ari.reset();
    st_.serial = fresh.serial;
    st_.not_before = fresh.not_before;
    st_.not_after = fresh.not_after;
    st_.last_success = d_.clock.now();
    st_.last_attempt = now_;
    st_.consecutive_failures = 0;
    st_.last_error.clear();
    st_.renewals_by_reason[force_ ? "forced" : policy::to_string(decision_.reason)]++;
    const auto obtained = "obtained serial " + fresh.serial + " for " + acme::join_values(identifiers_) +
                          ", valid until " + format_rfc3339(fresh.not_after);
    spdlog::info("certificate {}: {}", cert_.name, obtained);
    report(cert_.name + ": " + obtained);
    bool deployed = co_await deploy_bundle(fresh, true);
    co_await save_state();
    co_await drop_lease();
    const auto fresh_info = stored_info_of(fresh);
    st_.next_renewal = policy::should_renew(&fresh_info, want_, d_.clock.now(), std::nullopt, state_.random01).renew_at;
    out_.ok = deployed;
    out_.line = cert_.name + ": obtained serial " + fresh.serial + ", valid until " +
                format_rfc3339(fresh.not_after) + (deployed ? "" : ", deploy failed");
}

// A failed attempt: persisted with its backoff (the fleet shares it), counted by reason, lease released.
asio::awaitable<void> certificate_job::fail_attempt(std::string description, std::string reason,
                                                std::optional<sys_seconds> retry_after) {
    policy::record_failure(state_.failures, d_.clock.now(), description, retry_after);
    state_.last_failure_reason = reason;
    st_.consecutive_failures = state_.failures.consecutive_failures;
    st_.last_error = description;
    st_.last_attempt = now_;
    st_.failures_by_reason[reason]++;
    st_.next_renewal = policy::next_attempt(state_.failures, state_.random01);
    out_.line = cert_.name + ": FAILED: " + description;
    spdlog::error("certificate {}: renewal failed ({} in a row), next attempt {}: {}", cert_.name,
                  state_.failures.consecutive_failures, format_rfc3339(*st_.next_renewal), description);
    report(cert_.name + ": renewal failed: " + description + "; certman tries again at " +
           format_rfc3339(*st_.next_renewal) + ", or fix the cause and run `certman renew --force " + cert_.name + "`");
    co_await save_state();
    co_await drop_lease();
}
}  // namespace certman::app
