// The lease part of the storage contract (include/certman/storage/lease.hpp), run by storage_contract.hpp
// on every backend: leases are only as good as the backend's create().
#pragma once
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "support/run_coroutine.hpp"

namespace certman::test {

template <class Fixture>
void check_lease_contract(Fixture& fx, storage::storage& s) {
    using namespace std::chrono;
    using storage::lease;
    const sys_seconds t0 = sys_days{2025y / March / 1};
    const seconds ttl{600};
    auto other_client = fx.open();
    auto acquire = [&](storage::storage& st, const std::string& owner, sys_seconds now) {
        return run_coroutine(storage::acquire_lease(st, "www", owner, ttl, now));
    };

    auto a = acquire(s, "instance-a", t0);
    REQUIRE(a.has_value());
    CHECK(a->key == storage::lease_key("www"));
    CHECK(a->expires == t0 + ttl);

    SUBCASE("held: another owner is refused until expiry") {
        CHECK(acquire(*other_client, "instance-b", t0 + 10s).error() == errc::already_exists);
        CHECK(acquire(*other_client, "instance-b", t0 + ttl - 1s).error() == errc::already_exists);
        lease holder;  // who holds it, so a refused instance can come back when it runs out
        auto refused = run_coroutine(storage::acquire_lease(*other_client, "www", "instance-b", ttl, t0 + 20s, &holder));
        CHECK(refused.error() == errc::already_exists);
        CHECK(holder.owner == "instance-a");
        CHECK(holder.expires == t0 + ttl);
        CHECK(run_coroutine(storage::still_ours(s, *a, t0 + 10s)));
    }
    SUBCASE("the same owner re-acquires (refresh)") {
        auto again = acquire(s, "instance-a", t0 + 100s);
        REQUIRE(again.has_value());
        CHECK(again->expires == t0 + 100s + ttl);
    }
    SUBCASE("refresh extends; a refreshed lease is not taken over at the old expiry") {
        auto r = run_coroutine(storage::refresh_lease(s, *a, ttl, t0 + 300s));
        REQUIRE(r.has_value());
        CHECK(r->expires == t0 + 300s + ttl);
        CHECK(acquire(*other_client, "instance-b", t0 + ttl + 1s).error() == errc::already_exists);
    }
    SUBCASE("expired: taken over; the old holder has lost it") {
        auto b = acquire(*other_client, "instance-b", t0 + ttl);
        REQUIRE(b.has_value());
        CHECK(b->owner == "instance-b");
        CHECK(b->taken_over);
        CHECK_FALSE(a->taken_over);
        CHECK(run_coroutine(storage::still_ours(s, *a, t0 + ttl)).error() == errc::lease_lost);
        CHECK(run_coroutine(storage::refresh_lease(s, *a, ttl, t0 + ttl)).error() == errc::lease_lost);
        // The old holder's release leaves the new lease alone.
        CHECK(run_coroutine(storage::release_lease(s, *a)));
        CHECK(run_coroutine(storage::still_ours(*other_client, *b, t0 + ttl + 1s)));
    }
    SUBCASE("still_ours is false once expired, even with nobody else") {
        CHECK(run_coroutine(storage::still_ours(s, *a, t0 + ttl)).error() == errc::lease_lost);
    }
    SUBCASE("release frees it for others; releasing twice is fine") {
        REQUIRE(run_coroutine(storage::release_lease(s, *a)));
        CHECK(run_coroutine(storage::release_lease(s, *a)));
        CHECK(run_coroutine(storage::still_ours(s, *a, t0)).error() == errc::lease_lost);
        CHECK(acquire(*other_client, "instance-b", t0 + 1s).has_value());
    }
    SUBCASE("a garbled lease document counts as expired") {
        REQUIRE(run_coroutine(s.store(storage::lease_key("www"), "{\"owner\":")));
        CHECK(acquire(*other_client, "instance-b", t0).has_value());
    }
    SUBCASE("lease document round trip") {
        auto text = storage::lease_to_json(*a);
        CHECK(text == "{\"owner\":\"instance-a\",\"expires\":\"2025-03-01T00:10:00Z\"}");
        auto back = storage::lease_from_json(a->key, text);
        REQUIRE(back.has_value());
        CHECK(back->owner == a->owner);
        CHECK(back->expires == a->expires);
        CHECK(storage::lease_from_json("k", "{\"owner\":1}").error() == errc::parse_error);
    }
}

}  // namespace certman::test
