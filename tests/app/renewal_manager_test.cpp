// The renewal manager's entry points over injected adapters (renewal_manager.hpp): run_renew_now, the one
// a control socket calls, and run_pass (`certman renew`).
#include "certificate_pass_support.hpp"
#include "certman/app/renewal_manager.hpp"

using namespace certman;
using namespace certman::test;
using strings = std::vector<std::string>;

namespace {
struct manager_fixture {
    boost::asio::io_context ctx;
    app::blocking_pool pool{1};
    app::config cfg = pass_config();
    net::challenge_store challenges;
    std::vector<std::shared_ptr<app::certificate_status>> statuses;
    app::acme_stats stats;
    app::task_group tasks{ctx.get_executor()};
    fixed_clock clock{at("2026-12-10T00:00:00Z")};
    memory_storage* store = nullptr;  // owned by the manager
    fake_acme* ca = nullptr;          // idem
    std::shared_ptr<fake_deployer> lb = std::make_shared<fake_deployer>();
    std::unique_ptr<app::renewal_manager> manager;

    manager_fixture() {
        app::renewal_adapters a;
        auto s = std::make_unique<memory_storage>();
        store = s.get();
        a.store = std::move(s);
        auto c = std::make_unique<fake_acme>(clock);
        ca = c.get();
        a.acme = std::move(c);
        a.deployers = {{"lb", lb}};
        a.clock = &clock;
        a.random01 = [] { return 0.5; };
        manager = std::make_unique<app::renewal_manager>(
            app::renewal_environment{ctx.get_executor(), pool, cfg, "test.toml", challenges, statuses, stats, tasks,
                                     [] { return false; }},
            std::move(a));
    }

    // Runs renew-now for each name at once (all spawned before any runs), returning results in that order.
    std::vector<app::certificate_result> renew_now(const strings& names, strings& progress) {
        std::vector<app::certificate_result> out(names.size());
        for (std::size_t i = 0; i < names.size(); ++i)
            boost::asio::co_spawn(ctx, manager->run_renew_now(names[i], false,
                                                              [&progress](const std::string& l) { progress.push_back(l); }),
                                  [&out, i](std::exception_ptr e, app::certificate_result r) {
                                      if (e) std::rethrow_exception(e);
                                      out[i] = std::move(r);
                                  });
        ctx.restart();
        ctx.run();
        return out;
    }
};
}  // namespace

TEST_CASE("run_renew_now runs one pass of the certificate and reports each step, the result last") {
    manager_fixture f;
    strings progress;
    auto r = f.renew_now({"site"}, progress);
    REQUIRE(r.size() == 1);
    CHECK(r[0].ok);
    CHECK(f.ca->calls == strings{"account", "order www.example.test"});
    REQUIRE(progress.size() == 8);
    CHECK(progress[0] == "site: renew: no certificate stored");
    CHECK(progress[1] == "site: lease taken");
    CHECK(progress[2] == "site: ordering a certificate for www.example.test");
    CHECK(progress[3].rfind("site: stored serial ", 0) == 0);
    CHECK(progress[4].rfind("site: obtained serial ", 0) == 0);
    CHECK(progress[4].find(" for www.example.test, valid until ") != std::string::npos);
    CHECK(progress[5].rfind("site: deploying serial ", 0) == 0);
    CHECK(progress[5].find(" with lb") != std::string::npos);
    CHECK(progress[6].rfind("site: deployer lb: ", 0) == 0);
    CHECK(progress[7] == r[0].line);
    REQUIRE(f.statuses.size() == 1);
    CHECK(f.statuses[0]->checks == 1);
    CHECK(f.statuses[0]->serial == f.lb->serials.at(0));
}

TEST_CASE("run_renew_now: on errors the progress names the deployer or the failure and what to do next") {
    manager_fixture f;
    strings progress;
    SUBCASE("a refused deploy") {
        f.lb->fail = true;
        auto r = f.renew_now({"site"}, progress);
        CHECK_FALSE(r[0].ok);
        REQUIRE(progress.size() == 8);
        CHECK(progress[6] == "site: deployer lb failed: lb: refused (test); it is retried on the next pass, or now "
                             "with `certman renew site` once fixed");
        CHECK(progress[7] == r[0].line);
    }
    SUBCASE("a failed order") {
        f.ca->order_failure = failure{errc::acme_problem, "the CA said no (test)"};
        auto r = f.renew_now({"site"}, progress);
        CHECK_FALSE(r[0].ok);
        REQUIRE(progress.size() == 5);
        CHECK(progress[3].rfind("site: renewal failed: ", 0) == 0);
        CHECK(progress[3].find("the CA said no (test)") != std::string::npos);
        CHECK(progress[3].find("; certman tries again at ") != std::string::npos);
        CHECK(progress[3].find("`certman renew --force site`") != std::string::npos);
        CHECK(progress[4] == r[0].line);
        CHECK(f.lb->serials.empty());
    }
}

TEST_CASE("run_renew_now: an unknown name, and a certificate whose pass is already running") {
    manager_fixture f;
    strings progress;
    SUBCASE("unknown") {
        auto r = f.renew_now({"nope"}, progress);
        CHECK_FALSE(r[0].ok);
        CHECK(r[0].line == "nope: no such certificate in the configuration");
        CHECK(progress == strings{r[0].line});
        CHECK(f.ca->calls.empty());
    }
    SUBCASE("two at once: the second is refused while the first generates its key") {
        auto r = f.renew_now({"site", "site"}, progress);
        CHECK(r[0].ok);
        CHECK_FALSE(r[1].ok);
        CHECK(r[1].line == "site: an order is already running");
        CHECK(f.ca->calls == strings{"account", "order www.example.test"});
        CHECK(f.statuses[0]->checks == 1);
    }
}

TEST_CASE("run_pass runs the named certificates once and returns their results") {
    manager_fixture f;
    std::vector<app::certificate_result> results;
    const strings all;  // run_pass keeps a reference: it must outlive the pass
    boost::asio::co_spawn(f.ctx, f.manager->run_pass(false, all),
                          [&](std::exception_ptr e, std::vector<app::certificate_result> r) {
                              if (e) std::rethrow_exception(e);
                              results = std::move(r);
                          });
    f.ctx.run();
    REQUIRE(results.size() == 1);
    CHECK(results[0].name == "site");
    CHECK(results[0].ok);
    CHECK(f.store->objects.count(storage::certificate_key("site")) == 1);
}
