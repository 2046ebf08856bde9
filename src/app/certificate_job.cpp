// One certificate, one pass: decide, respect backoff and limits, order, store, deploy (renewal_manager.hpp).
#include <random>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include "certman/acme/identifier.hpp"
#include "certman/app/cert_state.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/net/endpoint.hpp"
#include "certman/policy/renewal.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "certman/storage/lease_keeper.hpp"
#include "certman/storage/live_export.hpp"
#include "challenge_publisher.hpp"
#include "order_results.hpp"

namespace certman::app {
namespace asio = boost::asio;
using std::chrono::sys_seconds;

namespace {
sys_seconds now_s() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

double draw01() {
    static std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string owner_id() {
    static const std::string id = [] {
        char host[256] = "host";
        gethostname(host, sizeof host - 1);
        return std::string(host) + "/" + std::to_string(getpid()) + "/" + std::to_string(std::random_device{}());
    }();
    return id;
}

// True when `key` no longer holds `as_loaded` ("" = it was missing), or cannot be read now.
asio::awaitable<bool> run_changed(storage::storage& s, std::string key, const std::string& as_loaded) {
    auto current = co_await s.load(std::move(key));
    if (!current) co_return !(current.error() == errc::not_found && as_loaded.empty());
    co_return *current != as_loaded;
}

// After taking over a stale lease (lease.hpp, taken_over): waits a moment, then checks it is still ours. On
// false the keeper is stopped and the lease, now another instance's, left alone.
asio::awaitable<bool> run_settled_takeover(storage::storage& s, storage::lease_keeper& keeper) {
    // Long enough for the other instance's remove + create to land, short against the lease it eats into.
    const std::chrono::milliseconds left = keeper.current().expires - now_s();
    const std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(1), left / 4);
    asio::steady_timer settle(co_await asio::this_coro::executor, wait);
    boost::system::error_code ec;
    co_await settle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    bool ours = !keeper.lost();
    if (ours) ours = static_cast<bool>(co_await storage::still_ours(s, keeper.current(), now_s()));
    if (!ours) co_await keeper.run_stop();
    co_return ours;
}
}  // namespace

asio::awaitable<certificate_result> renewal_manager::run_certificate(certificate_config cert, bool force) {
    certificate_result out{cert.name, false, ""};
    if (!in_progress_.insert(cert.name).second) {
        out.line = cert.name + ": an order is already running";
        co_return out;
    }
    struct release { std::set<std::string>& s; std::string n; ~release() { s.erase(n); } } guard{in_progress_, cert.name};
    const auto status = status_of(cert);  // kept alive across a reload
    auto& st = *status;
    struct count_check { certificate_status& s; ~count_check() { ++s.checks; } } counted{st};  // on every exit
    const auto now = now_s();

    cert_state state;
    std::string state_as_loaded;  // written back only when changed: the fleet shares it (cluster mode)
    const auto state_key = storage::state_key(cert.name);
    if (auto raw = co_await storage_->load(state_key)) {
        state_as_loaded = *raw;
        if (auto parsed = parse_cert_state(*raw)) state = std::move(*parsed);
        else spdlog::warn("certificate {}: renewal state {} is unreadable; starting from a fresh state", cert.name, state_key);
    }
    if (state.random01 < 0 || state.random01 >= 1) state.random01 = draw01();

    std::optional<storage::certificate_bundle> bundle;
    std::string bundle_as_loaded;
    if (auto raw = co_await storage_->load(storage::certificate_key(cert.name))) {
        bundle_as_loaded = *raw;
        if (auto b = storage::bundle_from_json(*raw)) bundle = std::move(*b);
        else spdlog::warn("certificate {}: stored bundle is unreadable; a new certificate will be ordered", cert.name);
    } else if (raw.error() != errc::not_found) {
        out.line = cert.name + ": cannot read storage: " + storage_->last_error();
        st.last_error = out.line;
        spdlog::error("certificate {}", out.line);
        co_return out;
    }
    if (bundle) {
        co_await run_refresh_ari(cert.name, *bundle, state, now);
        st.serial = bundle->serial;
        st.not_before = bundle->not_before;
        st.not_after = bundle->not_after;
    }

    policy::stored_info info;
    if (bundle) info = {bundle->names, bundle->key_type, bundle->not_before, bundle->not_after, bundle->profile};
    policy::wanted want{cert.domains, cert.key_type, cert.renew_before ? cert.renew_before : rt_.cfg.renewal.renew_before,
                        cert.profile};
    auto d = policy::should_renew(bundle ? &info : nullptr, want, now, state.ari, state.random01);
    st.next_renewal = d.renew_at;
    st.next_renewal_reason = policy::to_string(d.schedule);

    if (!d.renew && !force) {
        auto line = d.explain();
        if (last_logged_[cert.name] != line) spdlog::info("certificate {}: {}", cert.name, line);
        last_logged_[cert.name] = line;
        bool ok = co_await run_deploys(cert, *bundle, state, false);
        if (auto text = to_json(state); text != state_as_loaded) co_await storage_->store(state_key, std::move(text));
        out.ok = ok;
        out.line = cert.name + ": valid until " + format_rfc3339(bundle->not_after) + (ok ? "" : ", deploy failed");
        co_return out;
    }
    if (!force) {
        auto next = policy::next_attempt(state.failures, state.random01);
        if (next > now) {
            st.next_renewal = next;
            out.line = cert.name + ": backing off after " + std::to_string(state.failures.consecutive_failures) +
                       " failures until " + format_rfc3339(next) + " (last error: " + state.failures.last_error + ")";
            if (last_logged_[cert.name] != "backoff" + format_rfc3339(next)) spdlog::warn("certificate {}", out.line);
            last_logged_[cert.name] = "backoff" + format_rfc3339(next);
            co_return out;
        }
        if (auto until = state.authz.refused_until(cert.domains, now)) {
            st.next_renewal = *until;
            out.line = cert.name + ": " + std::to_string(policy::authz_limiter::max_failures) +
                       " validation failures in the last hour; waiting until " + format_rfc3339(*until) +
                       " to stay under the CA's limit";
            spdlog::warn("certificate {}", out.line);
            co_return out;
        }
    }
    spdlog::info("certificate {}: {}", cert.name, force ? std::string("renewal forced by the operator") : d.explain());
    last_logged_[cert.name].clear();

    const auto ttl = rt_.cfg.storage.lease_ttl;
    storage::lease holder;
    auto held = co_await storage::acquire_lease(*storage_, cert.name, owner_id(), ttl, now, &holder);
    if (!held) {
        out.line = cert.name + (held.error() == errc::already_exists ? ": another certman instance is renewing it"
                                                                     : ": cannot take the lease: " + storage_->last_error());
        // Look again when that lease runs out: its holder has then finished (we find its certificate) or died
        // (we take over), instead of waiting a whole check_interval.
        if (held.error() == errc::already_exists && holder.expires > now) st.next_renewal = holder.expires;
        spdlog::info("certificate {}", out.line);
        co_return out;
    }
    // Refreshed every ttl/3 while we work; if it is lost, the order is cancelled and nothing is written.
    storage::lease_keeper keeper(rt_.executor, *storage_, *held, ttl, now_s);
    keeper.start(std::chrono::duration_cast<std::chrono::milliseconds>(ttl) / 3);
    auto fail = [&](std::string description, std::string reason, std::optional<sys_seconds> retry_after) -> asio::awaitable<void> {
        policy::record_failure(state.failures, now_s(), description, retry_after);
        state.last_failure_reason = reason;
        st.consecutive_failures = state.failures.consecutive_failures;
        st.last_error = description;
        st.last_attempt = now;
        st.failures_by_reason[reason]++;
        st.next_renewal = policy::next_attempt(state.failures, state.random01);
        out.line = cert.name + ": FAILED: " + description;
        spdlog::error("certificate {}: renewal failed ({} in a row), next attempt {}: {}", cert.name,
                      state.failures.consecutive_failures, format_rfc3339(*st.next_renewal), description);
        co_await storage_->store(state_key, to_json(state));
        co_await keeper.run_stop();
        co_await storage::release_lease(*storage_, keeper.current());
    };
    auto give_up_lost = [&](std::string what) -> asio::awaitable<void> {
        out.line = cert.name + ": " + what + ": " + keeper.why();
        spdlog::error("certificate {}; another instance will finish the job", out.line);
        co_await keeper.run_stop();
    };
    bool settled = !held->taken_over;
    if (!settled) settled = co_await run_settled_takeover(*storage_, keeper);
    if (!settled) {
        out.line = cert.name + ": another certman instance took the stale lease over at the same moment";
        spdlog::info("certificate {}", out.line);
        st.next_renewal = now_s() + ttl;
        co_return out;
    }
    // Decided on reads made before the lease: another instance may have stored a certificate, or a failure
    // and its backoff, in between. Then step back and decide again on the next pass (in a second).
    bool changed = co_await run_changed(*storage_, state_key, state_as_loaded);
    if (!changed) changed = co_await run_changed(*storage_, storage::certificate_key(cert.name), bundle_as_loaded);
    if (changed) {
        co_await keeper.run_stop();
        co_await storage::release_lease(*storage_, keeper.current());
        st.next_renewal = now_s() + std::chrono::seconds(1);
        out.line = cert.name + ": changed by another instance meanwhile; deciding again";
        spdlog::info("certificate {}", out.line);
        co_return out;
    }
    acme::cancel_check cancel = [this, &keeper]() -> std::string {
        if (rt_.stopping) return "certman is stopping";
        if (keeper.lost()) return keeper.why();
        return {};
    };

    if (auto r = co_await run_ensure_acme(); !r) {
        // Named first: GCC 12 destroys temporaries of a ?: inside co_await twice (PR 101367).
        std::string why = r.error() == errc::config_error ? std::string("the ACME account could not be set up (see the log)")
                                                          : "the CA is unreachable: " + r.error().message();
        co_await fail(std::move(why), "account", std::nullopt);
        co_return out;
    }
    auto type = crypto::parse_key_type(cert.key_type);
    auto key = crypto::generate_key(type ? *type : crypto::key_type::ec256);
    if (!key) {
        co_await fail("cannot generate a " + cert.key_type + " key", "crypto", std::nullopt);
        co_return out;
    }
    acme::order_request req;
    req.identifiers = identifiers_of(cert);
    req.certificate_key = &*key;
    req.flow.deadline = std::chrono::system_clock::now() + rt_.cfg.acme.order_timeout;
    if (!cert.profile.empty()) req.flow.profile = cert.profile;
    if (bundle && state.ari && !state.ari_cert_id.empty()) req.flow.replaces = state.ari_cert_id;
    req.preferred_chain = rt_.cfg.acme.preferred_chain;
    challenge_publisher sink(rt_.challenges, rt_.cfg.storage.kind == "dir" ? nullptr : storage_.get());
    auto client = acme_;
    acme::failure f;
    auto issued = co_await client->run_order(req, sink, cancel, &f);
    if (!issued && keeper.lost()) {  // the new holder owns the state now: record nothing
        co_await give_up_lost("order cancelled, the lease was lost");
        co_return out;
    }
    if (!issued) {
        if (is_authorization_failure(f))
            for (const auto& n : cert.domains) state.authz.record_failure(n, now_s());
        std::optional<sys_seconds> retry_after;
        if (f.ca_problem && f.ca_problem->retry_after) retry_after = now_s() + *f.ca_problem->retry_after;
        co_await fail(f.description, failure_reason(f), retry_after);
        co_return out;
    }
    std::string why;
    auto fresh = make_bundle(cert, *key, *issued, why);
    if (!fresh) {
        co_await fail(why, "protocol", std::nullopt);
        co_return out;
    }
    if (keeper.lost()) {
        co_await give_up_lost("lease lost while ordering; the result is discarded");
        co_return out;
    }
    if (auto ours = co_await storage::still_ours(*storage_, keeper.current(), now_s()); !ours) {
        out.line = cert.name + ": lease lost while ordering; the result is discarded";
        spdlog::error("certificate {}", out.line);
        co_await keeper.run_stop();
        co_return out;
    }
    if (auto r = co_await storage_->store(storage::certificate_key(cert.name), storage::to_json(*fresh)); !r) {
        co_await fail("cannot store the new certificate: " + storage_->last_error(), "storage", std::nullopt);
        co_return out;
    }
    if (rt_.cfg.storage.kind == "dir") {
        std::string msg;
        if (!storage::publish_live(rt_.cfg.storage.path, cert.name, *fresh, &msg))
            spdlog::warn("certificate {}: stored, but the live/ export failed: {}", cert.name, msg);
    }
    policy::record_success(state.failures);
    state.authz = policy::authz_limiter{};
    state.ari.reset();
    st.serial = fresh->serial;
    st.not_before = fresh->not_before;
    st.not_after = fresh->not_after;
    st.last_success = now_s();
    st.last_attempt = now;
    st.consecutive_failures = 0;
    st.last_error.clear();
    st.renewals_by_reason[force ? "forced" : policy::to_string(d.reason)]++;
    spdlog::info("certificate {}: obtained serial {} for {}, valid until {}", cert.name, fresh->serial,
                 acme::join_values(req.identifiers), format_rfc3339(fresh->not_after));
    bool deployed = co_await run_deploys(cert, *fresh, state, true);
    co_await storage_->store(state_key, to_json(state));
    co_await keeper.run_stop();
    co_await storage::release_lease(*storage_, keeper.current());
    policy::stored_info fresh_info{fresh->names, fresh->key_type, fresh->not_before, fresh->not_after, fresh->profile};
    st.next_renewal = policy::should_renew(&fresh_info, want, now_s(), std::nullopt, state.random01).renew_at;
    out.ok = deployed;
    out.line = cert.name + ": obtained serial " + fresh->serial + ", valid until " + format_rfc3339(fresh->not_after) +
               (deployed ? "" : ", deploy failed");
    co_return out;
}
}  // namespace certman::app
