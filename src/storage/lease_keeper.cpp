#include "certman/storage/lease_keeper.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

namespace certman::storage {
namespace asio = boost::asio;
using std::chrono::steady_clock;

struct lease_keeper::shared {
    shared(asio::any_io_executor ex, storage& st, lease l, std::chrono::seconds t, wall_clock n)
        : executor(ex), store(st), held(std::move(l)), ttl(t), now(std::move(n)), tick(ex),
          finished(ex, asio::steady_timer::time_point::max()) {}
    asio::any_io_executor executor;
    storage& store;
    lease held;
    std::chrono::seconds ttl;
    wall_clock now;
    asio::steady_timer tick;
    asio::steady_timer finished;
    bool stop = false;
    bool running = false;
    bool lost = false;
    std::string why;
    unsigned refreshes = 0;
};

namespace {

// One refresh; the wait before the next one (shorter after a failure, so that a lease about to expire
// gets its last chance right at the expiry instead of a full period later).
asio::awaitable<steady_clock::duration> refresh_once(lease_keeper::shared& s, steady_clock::duration every) {
    auto refreshed = co_await refresh_lease(s.store, s.held, s.ttl, s.now());
    if (refreshed) {
        s.held = std::move(*refreshed);
        ++s.refreshes;
        co_return every;
    }
    const auto now = s.now();
    if (refreshed.error() == errc::lease_lost) {
        s.lost = true;
        s.why = "the lease " + s.held.key + " expired or was taken over by another instance";
    } else if (now >= s.held.expires) {
        s.lost = true;
        s.why = "the lease " + s.held.key + " could not be refreshed before it expired: " + refreshed.error().message();
    }
    const steady_clock::duration left = s.held.expires - now;
    const steady_clock::duration at_least = std::chrono::milliseconds(1);
    const steady_clock::duration wait = std::clamp(left, at_least, every);
    co_return wait;
}

// The refresh loop. It contains its own failure, so it is spawned detached: an exception (a bug, bad_alloc)
// means we no longer know that the lease is ours, so it counts as lost. Either way it ends by waking stop().
asio::awaitable<void> run_keeper(std::shared_ptr<lease_keeper::shared> s, steady_clock::duration every) {
    try {
        auto wait = every;
        while (!s->stop && !s->lost) {
            s->tick.expires_after(wait);
            boost::system::error_code ec;
            co_await s->tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (s->stop) break;
            wait = co_await refresh_once(*s, every);
        }
    } catch (...) {
        if (!s->lost) {
            s->lost = true;
            s->why = "the lease refresh loop failed";
        }
    }
    s->running = false;
    s->finished.cancel();
}

}  // namespace

lease_keeper::lease_keeper(asio::any_io_executor ex, storage& st, lease held, std::chrono::seconds ttl, wall_clock now)
    : s_(std::make_shared<shared>(ex, st, std::move(held), ttl, std::move(now))) {}

lease_keeper::~lease_keeper() {
    s_->stop = true;
    s_->tick.cancel();
}

void lease_keeper::start(steady_clock::duration every) {
    if (s_->running || s_->stop) return;
    s_->running = true;  // before the spawn: stop() may come before the loop's first step
    asio::co_spawn(s_->executor, run_keeper(s_, every), asio::detached);
}

asio::awaitable<void> lease_keeper::stop() {
    auto s = s_;
    s->stop = true;
    s->tick.cancel();
    while (s->running) {
        boost::system::error_code ec;
        co_await s->finished.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

bool lease_keeper::lost() const noexcept { return s_->lost; }
const std::string& lease_keeper::why() const noexcept { return s_->why; }
const lease& lease_keeper::current() const noexcept { return s_->held; }
unsigned lease_keeper::refreshes() const noexcept { return s_->refreshes; }

}  // namespace certman::storage
