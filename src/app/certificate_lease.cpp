// The lease of one certificate's pass (certificate_job.hpp, lease.hpp): taken before anything is ordered,
// refreshed while the order runs, and given up (released, or left to a new holder) on every way out.
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "certman/storage/lease_owner.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
// True when `key` no longer holds `as_loaded` ("" = it was missing), or cannot be read now.
asio::awaitable<bool> changed_since_load(storage::storage& s, std::string key, const std::string& as_loaded) {
    auto current = co_await s.load(std::move(key));
    if (!current) co_return !(current.error() == errc::not_found && as_loaded.empty());
    co_return *current != as_loaded;
}

// After taking over a stale lease (lease.hpp, taken_over): waits a moment, then checks it is still ours. On
// false the keeper is stopped and the lease, now another instance's, left alone.
asio::awaitable<bool> takeover_settled(storage::storage& s, storage::lease_keeper& keeper, clock& clk) {
    // Long enough for the other instance's remove + create to land, short against the lease it eats into.
    const std::chrono::milliseconds left = keeper.current().expires - clk.now();
    const std::chrono::milliseconds wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(1), left / 4);
    co_await clk.sleep(wait);
    bool ours = !keeper.lost();
    if (ours) ours = static_cast<bool>(co_await storage::still_ours(s, keeper.current(), clk.now()));
    if (!ours) co_await keeper.stop();
    co_return ours;
}
}  // namespace

asio::awaitable<bool> certificate_job::take_lease() {
    auto& store = d_.store;
    const auto ttl = d_.cfg.storage.lease_ttl;
    storage::lease holder;
    // Now, not when the pass began: the pass may have waited minutes for an order slot (max_concurrent_orders),
    // and a lease dated from then would be born expired.
    const auto now = d_.clock.now();
    auto held = co_await storage::acquire_lease(store, cert_.name, storage::this_process_owner(), ttl, now,
                                                &holder, storage::local_owner_gone);
    if (!held) {
        out_.line = cert_.name + (held.error() == errc::already_exists ? ": another certman instance is renewing it"
                                                                       : ": cannot take the lease: " + held.error().message());
        // Look again when that lease runs out: its holder has then finished (we find its certificate) or died
        // (we take over), instead of waiting a whole check_interval.
        if (held.error() == errc::already_exists && holder.expires > now) st_.next_renewal = holder.expires;
        if (held.error() != errc::already_exists) note_storage_error(out_.line);
        spdlog::info("certificate {}", out_.line);
        co_return false;
    }
    // Refreshed every ttl/3 while we work; if it is lost, the order is cancelled and nothing is written.
    auto& clk = d_.clock;
    const auto ex = co_await asio::this_coro::executor;
    keeper_.emplace(ex, store, *held, ttl, [&clk] { return clk.now(); });
    keeper_->start(std::chrono::duration_cast<std::chrono::milliseconds>(ttl) / 3);
    bool settled = !held->taken_over;
    if (!settled) settled = co_await takeover_settled(store, *keeper_, d_.clock);
    if (!settled) {
        out_.line = cert_.name + ": another certman instance took the stale lease over at the same moment";
        spdlog::info("certificate {}", out_.line);
        st_.next_renewal = d_.clock.now() + ttl;
    }
    if (settled) report(cert_.name + ": lease taken");
    co_return settled;
}

// Decided on reads made before the lease: another instance may have stored a certificate, or a failure and
// its backoff, in between. Then step back and decide again on the next pass (in a second).
asio::awaitable<bool> certificate_job::check_unchanged() {
    bool changed = co_await changed_since_load(d_.store, state_key_, state_as_loaded_);
    if (!changed) changed = co_await changed_since_load(d_.store, storage::certificate_key(cert_.name), bundle_as_loaded_);
    if (!changed) co_return true;
    co_await drop_lease();
    st_.next_renewal = d_.clock.now() + std::chrono::seconds(1);
    out_.line = cert_.name + ": changed by another instance meanwhile; deciding again";
    spdlog::info("certificate {}", out_.line);
    co_return false;
}

// Stops refreshing and removes the lease (if it is still ours: release_lease leaves another owner's alone).
asio::awaitable<void> certificate_job::drop_lease() {
    co_await keeper_->stop();
    co_await storage::release_lease(d_.store, keeper_->current());
}

// The lease went to another instance: it owns the state now, so nothing is recorded.
asio::awaitable<void> certificate_job::give_up_lost(std::string what) {
    out_.line = cert_.name + ": " + what + ": " + keeper_->why();
    spdlog::error("certificate {}; another instance will finish the job", out_.line);
    co_await keeper_->stop();
}
}  // namespace certman::app
