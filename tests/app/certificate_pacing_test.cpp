// Many due certificates in passes (certificate_job.cpp): the pacing of new orders (paced(); policy/order_pacer.hpp)
// — past the CA's per-account burst a due certificate waits for its reserved moment without ordering, then
// orders — and a pass that queued for an order slot (renewal.max_concurrent_orders) for longer than the lease.
#include <boost/asio/detached.hpp>
#include "certificate_pass_support.hpp"
#include "certman/storage/lease.hpp"

using namespace certman;
using namespace certman::test;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {
// A second certificate, due (nothing stored), replacing the first in the fixture's configuration.
void switch_to_second(pass_fixture& f) {
    f.cfg.certificates[0].name = "second";
    f.cfg.certificates[0].domains = {"second.example.test"};
    f.status = {};
}
}  // namespace

TEST_CASE("past the burst of new orders a due certificate waits for its reserved moment, then orders") {
    pass_fixture f;
    f.memory.order_pacer = policy::order_pacer(1, 36s);
    const auto t0 = f.clock.now();
    REQUIRE(f.run().ok);  // "site" takes the only order of the burst
    f.ca.calls.clear();

    switch_to_second(f);
    auto r = f.run();
    CHECK_FALSE(r.ok);
    CHECK(f.ca.calls.empty());  // no account set-up, no order
    CHECK(r.line == "second: renew: no certificate stored; waiting until " + format_rfc3339(t0 + 36s) +
                        " to stay under the CA's limit of new orders per account");
    CHECK(f.status.next_renewal == t0 + 36s);  // the task wakes then (next_check_delay)
    CHECK_FALSE(f.has(storage::state_key("second")));  // nothing attempted, nothing recorded as failed

    f.clock.advance(35s);
    CHECK_FALSE(f.run().ok);  // still one second early
    CHECK(f.ca.calls.empty());

    f.clock.advance(1s);
    CHECK(f.run().ok);
    CHECK(f.ca.calls == strings{"account", "order second.example.test"});
}

TEST_CASE("a forced renewal is not paced, and the order it sent counts against the burst") {
    pass_fixture f;
    f.memory.order_pacer = policy::order_pacer(1, 36s);
    const auto t0 = f.clock.now();
    REQUIRE(f.run().ok);
    CHECK(f.run(true).ok);  // forced: goes now although the burst is spent
    CHECK(f.ca.calls == strings{"account", "order www.example.test", "account", "order www.example.test"});
    switch_to_second(f);
    f.ca.calls.clear();
    CHECK_FALSE(f.run().ok);
    CHECK(f.status.next_renewal == t0 + 72s);  // behind the forced order
    CHECK(f.ca.calls.empty());
}

TEST_CASE("a pass that waited for an order slot longer than the lease's lifetime takes a fresh lease and stores") {
    pass_fixture f;  // one order slot, lease_ttl 120 s
    std::optional<app::async_semaphore::permit> busy;  // another certificate's order holds the slot
    boost::asio::co_spawn(f.ctx, [&]() -> boost::asio::awaitable<void> { busy.emplace(co_await f.slots.acquire()); },
                          boost::asio::detached);
    f.ctx.poll();
    REQUIRE(busy);

    const auto deps = f.deps();
    std::optional<app::certificate_result> out;
    boost::asio::co_spawn(f.ctx, app::run_certificate_pass(deps, f.cfg.certificates[0], false, f.status),
                          [&](std::exception_ptr e, app::certificate_result r) {
                              if (e) std::rethrow_exception(e);
                              out = std::move(r);
                          });
    f.ctx.restart();
    f.ctx.poll();  // loads, decides, queues for the slot
    REQUIRE_FALSE(out);
    CHECK(f.ca.calls.empty());
    const auto t_slot = f.clock.now() + 10min;
    f.clock.advance(10min);  // the other order takes 10 minutes
    busy.reset();
    f.ctx.restart();
    f.ctx.run();
    REQUIRE(out);
    CHECK(out->ok);
    CHECK(out->line.find("lease lost") == std::string::npos);
    CHECK(f.ca.calls == strings{"account", "order www.example.test"});
    CHECK(f.has(storage::certificate_key("site")));
    CHECK(f.bundle().not_before == t_slot);
}
