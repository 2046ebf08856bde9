#include <doctest/doctest.h>
#include <string>
#include "certman/core/rfc3339.hpp"
#include "certman/policy/order_pacer.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

namespace {
using certman::test::at;
std::string name(int i) { return "c" + std::to_string(i); }
const sys_seconds t0 = at("2026-12-10T00:00:00Z");
}  // namespace

TEST_CASE("order_pacer: Let's Encrypt's 300 orders at once, then one every 36 s, each reserved for its name") {
    order_pacer p;
    for (int i = 0; i < 300; ++i) {
        CAPTURE(i);
        REQUIRE(p.reserve(name(i), t0) == t0);
    }
    CHECK(p.reservations() == 0);
    CHECK(p.reserve("c300", t0) == t0 + 36s);  // the 301st waits for one refill
    CHECK(p.reserve("c301", t0) == t0 + 72s);
    CHECK(p.reserve("c302", t0 + 10s) == t0 + 108s);
    CHECK(p.reservations() == 3);
    // Asked again before its moment, a name keeps its reservation and takes nothing more.
    CHECK(p.reserve("c300", t0 + 35s) == t0 + 36s);
    CHECK(p.reserve("c301", t0 + 20s) == t0 + 72s);
    // At its moment it goes, without taking a second order: the next newcomer is still one refill later.
    CHECK(p.reserve("c300", t0 + 36s) == t0 + 36s);
    CHECK_FALSE(p.reserved("c300"));
    CHECK(p.reserve("c303", t0 + 36s) == t0 + 144s);
    CHECK(p.reserved("c303") == t0 + 144s);
}

TEST_CASE("order_pacer: the bucket refills one order per interval while idle, up to the burst") {
    order_pacer p(3, 36s);
    for (int i = 0; i < 3; ++i) REQUIRE(p.reserve(name(i), t0) == t0);
    CHECK(p.reserve("late", t0 + 35s) == t0 + 36s);  // not yet refilled
    order_pacer q(3, 36s);
    for (int i = 0; i < 3; ++i) REQUIRE(q.reserve(name(i), t0) == t0);
    CHECK(q.reserve("a", t0 + 36s) == t0 + 36s);      // exactly one refilled
    CHECK(q.reserve("b", t0 + 36s) == t0 + 72s);
    order_pacer r(3, 36s);
    for (int i = 0; i < 3; ++i) REQUIRE(r.reserve(name(i), t0) == t0);
    const auto later = t0 + hours(3);                 // long idle: full again, and no more than full
    for (int i = 0; i < 3; ++i) CHECK(r.reserve(name(10 + i), later) == later);
    CHECK(r.reserve("over", later) == later + 36s);
}

TEST_CASE("order_pacer: a burst of 1 spaces every order; a forced order moves later reservations back") {
    order_pacer p(1, 60s);
    CHECK(p.reserve("a", t0) == t0);
    CHECK(p.reserve("b", t0) == t0 + 60s);
    p.take_now(t0 + 1s);  // an operator's forced renewal still counts
    CHECK(p.reserve("c", t0 + 1s) == t0 + 180s);
    CHECK(p.reserve("b", t0 + 60s) == t0 + 60s);
    CHECK(p.reserve("b", t0 + 61s) == t0 + 180s + 60s);  // b went already: a new order, after c
}

TEST_CASE("order_pacer: reservations of names that never come back are dropped after a bucket's length") {
    order_pacer p(2, 36s);
    CHECK(p.reserve("a", t0) == t0);
    CHECK(p.reserve("b", t0) == t0);
    CHECK(p.reserve("gone", t0) == t0 + 36s);
    CHECK(p.reservations() == 1);
    CHECK(p.reserve("x", t0 + 36s + 72s) == t0 + 36s + 72s);  // "gone" still held exactly at the bound
    CHECK(p.reservations() == 1);
    CHECK(p.reserve("y", t0 + 36s + 73s) == t0 + 36s + 73s);  // one second past it
    CHECK(p.reservations() == 0);
}
