#include "certman/storage/lease_keeper.hpp"

#include <doctest/doctest.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "certman/storage/keys.hpp"
#include "support/memory_storage.hpp"
#include "support/run_coroutine.hpp"

namespace asio = boost::asio;
using namespace std::chrono;
using namespace std::chrono_literals;
using certman::errc;
using certman::storage::lease;
using certman::storage::lease_keeper;
using certman::test::memory_storage;
using certman::test::run_coroutine;

namespace {

asio::awaitable<void> sleep_ms(int ms) {
    asio::steady_timer t(co_await asio::this_coro::executor, milliseconds(ms));
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

lease stored_lease(memory_storage& s) {
    auto l = certman::storage::lease_from_json("k", s.objects.at(certman::storage::lease_key("www")));
    REQUIRE(l.has_value());
    return *l;
}

struct fixture {
    memory_storage s;
    sys_seconds now = sys_days{2025y / March / 1};
    const seconds ttl{60};
    lease held;
    fixture() {
        auto l = run_coroutine(certman::storage::acquire_lease(s, "www", "me", ttl, now));
        REQUIRE(l.has_value());
        held = *l;
    }
    lease_keeper::wall_clock clock() { return [this] { return now; }; }
};

}  // namespace

TEST_CASE("lease_keeper: refreshes at every tick while it runs, stops on request") {
    fixture fx;
    run_coroutine([&]() -> asio::awaitable<void> {
        lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
        k.start(5ms);
        fx.now += 20s;
        co_await sleep_ms(40);
        CHECK(stored_lease(fx.s).expires == fx.now + fx.ttl);
        CHECK(k.current().expires == fx.now + fx.ttl);
        CHECK(k.refreshes() >= 1);
        co_await k.stop();
        co_await k.stop();  // idempotent
        CHECK_FALSE(k.lost());
        const auto calls = fx.s.calls;
        co_await sleep_ms(20);
        CHECK(fx.s.calls == calls);  // the loop really ended
        CHECK(stored_lease(fx.s).owner == "me");
    });
}

TEST_CASE("lease_keeper: a lease taken over by another instance is reported lost and the loop ends") {
    fixture fx;
    run_coroutine([&]() -> asio::awaitable<void> {
        lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
        k.start(5ms);
        lease theirs{fx.held.key, "someone-else", fx.now + 600s};
        fx.s.objects[fx.held.key] = certman::storage::lease_to_json(theirs);
        co_await sleep_ms(30);
        CHECK(k.lost());
        CHECK(k.why().find("taken over") != std::string::npos);
        const auto calls = fx.s.calls;
        co_await sleep_ms(20);
        CHECK(fx.s.calls == calls);  // it stopped refreshing: the other owner's lease is left alone
        CHECK(stored_lease(fx.s).owner == "someone-else");
        co_await k.stop();
    });
}

TEST_CASE("lease_keeper: a deleted lease is lost too") {
    fixture fx;
    run_coroutine([&]() -> asio::awaitable<void> {
        lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
        k.start(5ms);
        fx.s.objects.clear();
        co_await sleep_ms(30);
        CHECK(k.lost());
        CHECK(fx.s.objects.empty());  // never re-created
        co_await k.stop();
    });
}

// heals: the partition ends before the lease's expiry (refreshed again) or not (lost, with the reason).
static void partition_case(bool heals) {
    fixture fx;
    CAPTURE(heals);
    run_coroutine([&]() -> asio::awaitable<void> {
        lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
        k.start(5ms);
        fx.s.unreachable = true;
        fx.now += 30s;
        co_await sleep_ms(30);
        CHECK_FALSE(k.lost());  // transient: retried at the next tick
        if (heals) {
            fx.s.unreachable = false;
            co_await sleep_ms(30);
            CHECK_FALSE(k.lost());
            CHECK(stored_lease(fx.s).expires == fx.now + fx.ttl);
        } else {
            fx.now = fx.held.expires;
            co_await sleep_ms(30);
            CHECK(k.lost());
            CHECK(k.why().find("could not be refreshed") != std::string::npos);
            CHECK(k.why().find("unreachable") != std::string::npos);
        }
        co_await k.stop();
    });
}

TEST_CASE("lease_keeper: storage unreachable (partition) keeps the lease until its expiry passes") {
    partition_case(true);
    partition_case(false);
}

TEST_CASE("lease_keeper: stopped before its first tick, or never started") {
    fixture fx;
    run_coroutine([&]() -> asio::awaitable<void> {
        {
            lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
            k.start(1h);
            co_await k.stop();
            CHECK_FALSE(k.lost());
            CHECK(k.refreshes() == 0);
        }
        lease_keeper idle(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, fx.clock());
        co_await idle.stop();
    });
}

TEST_CASE("lease_keeper: an exception inside the refresh loop counts as a lost lease, and stop() still returns") {
    fixture fx;
    bool broken = false;
    run_coroutine([&]() -> asio::awaitable<void> {
        lease_keeper k(co_await asio::this_coro::executor, fx.s, fx.held, fx.ttl, [&]() -> sys_seconds {
            if (broken) throw std::runtime_error("clock broke (test)");
            return fx.now;
        });
        k.start(5ms);
        co_await sleep_ms(20);
        CHECK_FALSE(k.lost());
        broken = true;
        co_await sleep_ms(30);
        CHECK(k.lost());
        CHECK(k.why() == "the lease refresh loop failed");
        co_await k.stop();  // the loop has ended: returns at once
    });
}
