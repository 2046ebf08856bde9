// Test doubles for whole renewal passes (certificate_pass_test.cpp): a fixed clock, a scripted ACME service
// that issues self-signed certificates for the order's key, a deployer that records what it was given, and
// a fixture that runs run_certificate_pass on one io_context with the in-memory storage.
#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include "../support/memory_storage.hpp"
#include "certman/app/certificate_pass.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/crypto/self_signed.hpp"
#include "certman/storage/keys.hpp"

namespace certman::test {

inline std::chrono::sys_seconds at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

inline std::string read_fixture(const std::string& path) {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/" + path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class fixed_clock final : public app::clock {
public:
    explicit fixed_clock(std::chrono::sys_seconds t) : t_(t) {}
    std::chrono::sys_seconds now() const override { return t_; }
    boost::asio::awaitable<void> sleep(std::chrono::milliseconds d) override {
        sleeps.push_back(d);
        t_ += std::chrono::duration_cast<std::chrono::seconds>(d);
        co_return;
    }
    void advance(std::chrono::seconds d) { t_ += d; }
    std::vector<std::chrono::milliseconds> sleeps;

private:
    std::chrono::sys_seconds t_;
};

// Records every call as a line ("account", "order www.example.test", "renewalInfo <certID>").
class fake_acme final : public app::acme_service {
public:
    explicit fake_acme(fixed_clock& c) : clock_(c) {}
    std::vector<std::string> calls;
    std::optional<failure> order_failure;                 // every order fails with it while set
    std::optional<acme::problem> order_problem;           // the CA's problem document with that failure
    std::optional<app::renewal_info_answer> renewal_info;  // nullopt: the CA offers no ARI
    std::optional<std::string> last_replaces;              // the last order's RFC 9773 "replaces"
    std::function<void()> during_order;                    // runs inside each order (a lease taken away...)

    boost::asio::awaitable<result<void>> ensure_account() override {
        calls.push_back("account");
        co_return result<void>{};
    }
    std::string directory_url() const override { return "https://ca.test/dir"; }
    boost::asio::awaitable<result<acme::issued_certificate>> order_certificate(acme::order_request req, acme::challenge_sink&,
                                                                       acme::cancel_check,
                                                                       std::optional<acme::problem>* ca_problem) override {
        std::vector<std::string> names;
        for (const auto& i : req.identifiers) names.push_back(i.value);
        std::string line = "order";
        for (const auto& n : names) line += " " + n;
        calls.push_back(line);
        last_replaces = req.flow.replaces;
        if (during_order) during_order();
        if (order_failure) {
            if (ca_problem) *ca_problem = order_problem;
            co_return *order_failure;
        }
        auto pem = crypto::make_self_signed(*req.certificate_key, names, clock_.now(), std::chrono::days(90));
        REQUIRE(pem.has_value());
        co_return acme::issued_certificate{*pem, "https://ca.test/order/1", "https://ca.test/cert/1"};
    }
    boost::asio::awaitable<std::optional<app::renewal_info_answer>> fetch_renewal_info(std::string cert_id) override {
        calls.push_back("renewalInfo " + cert_id);
        co_return renewal_info;
    }
    acme::client* client() override { return nullptr; }

private:
    fixed_clock& clock_;
};

class fake_deployer final : public deploy::deployer {
public:
    bool fail = false;
    std::vector<std::string> serials;  // of every deploy call, in order
    const std::string& name() const override { return name_; }
    boost::asio::awaitable<result<deploy::deploy_outcome>> deploy(const std::string&,
                                                                  const storage::certificate_bundle& b) override {
        serials.push_back(b.serial);
        if (fail) co_return failure{errc::io_error, "lb: refused (test)"};
        co_return deploy::deploy_outcome{true, "uploaded"};
    }

private:
    std::string name_ = "lb";
};

inline app::config pass_config() {
    app::config cfg;
    cfg.acme.directory = "https://ca.test/dir";
    cfg.storage.backend = storage::dir_storage_options{};
    cfg.storage.lease_ttl = std::chrono::seconds(120);
    app::deployer_config lb;
    lb.name = "lb";
    lb.options = deploy::files_deployer_options{};
    cfg.deployers.push_back(lb);
    app::certificate_config site;
    site.name = "site";
    site.domains = {"www.example.test"};
    site.deploy = {"lb"};
    cfg.certificates.push_back(site);
    return cfg;
}

struct pass_fixture {
    boost::asio::io_context ctx;
    app::blocking_pool pool{1};
    memory_storage store;
    fixed_clock clock{at("2026-12-10T00:00:00Z")};
    fake_acme ca{clock};
    std::shared_ptr<fake_deployer> lb = std::make_shared<fake_deployer>();
    app::config cfg = pass_config();
    app::deployer_map deployers{{"lb", lb}};
    net::challenge_store challenges;
    app::async_semaphore slots{ctx.get_executor(), 1};
    app::pass_memory memory;
    app::certificate_status status;
    std::vector<std::string> progress;
    int exported = 0;  // after_store calls

    app::pass_dependencies deps() {
        return {cfg, store, ca, deployers, clock, [] { return 0.5; }, pool, challenges, slots,
            memory, [this](const std::string&, const storage::certificate_bundle&) -> boost::asio::awaitable<void> {
                ++exported;
                co_return;
            },
            [this](const std::string& line) { progress.push_back(line); }};
    }

    app::certificate_result run(bool force = false) {
        const app::pass_dependencies deps = this->deps();
        std::optional<app::certificate_result> out;
        boost::asio::co_spawn(ctx, app::run_certificate_pass(deps, cfg.certificates[0], force, status),
                              [&](std::exception_ptr e, app::certificate_result r) {
                                  if (e) std::rethrow_exception(e);
                                  out = std::move(r);
                              });
        ctx.restart();
        ctx.run();
        REQUIRE(out);
        return *out;
    }
    bool has(const std::string& key) const { return store.objects.count(key) != 0; }
    app::cert_state state() const {
        REQUIRE(has(storage::state_key("site")));
        auto s = app::parse_cert_state(store.objects.at(storage::state_key("site")));
        REQUIRE(s.has_value());
        return *s;
    }
    storage::certificate_bundle bundle() const {
        REQUIRE(has(storage::certificate_key("site")));
        auto b = storage::bundle_from_json(store.objects.at(storage::certificate_key("site")));
        REQUIRE(b.has_value());
        return *b;
    }
};

}  // namespace certman::test
