// The files deployer against a temporary directory and real child processes (sh, sleep).
#include <doctest/doctest.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>

#include "certman/core/blocking_pool.hpp"
#include "certman/core/errc.hpp"
#include "certman/deploy/files_deployer.hpp"
#include "haproxy_files_test_support.hpp"
#include "support/run_coroutine.hpp"

namespace certman::deploy {
namespace {
using boost::asio::awaitable;
using test::make_test_bundle;
using test::mode_of;
using test::read_text;
using test::run_coroutine;

files_deployer_options files_config(const std::string& dir) {
    files_deployer_options c;
    c.directory = dir;
    c.timeout = std::chrono::seconds(5);
    return c;
}

// Deploys `bundle` once with a deployer built from `cfg` (its file work on `pool`, or inline); `error`
// receives the failure's message.
result<deploy_outcome> deploy_once(const files_deployer_options& cfg, const storage::certificate_bundle& bundle,
                                   std::string* error = nullptr, blocking_pool* pool = nullptr) {
    return run_coroutine([&]() -> awaitable<result<deploy_outcome>> {
        auto d = make_files_deployer(co_await boost::asio::this_coro::executor, "local-files", cfg, pool);
        auto r = co_await d->deploy("site", bundle);
        if (error) *error = r ? std::string() : r.error().message();
        co_return r;
    });
}

TEST_CASE("files deployer: writes the four files with their modes, then nothing while they are current") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    auto b = make_test_bundle("files.test");
    auto r = deploy_once(cfg, b);
    REQUIRE(r.has_value());
    CHECK(r->changed);
    CHECK(read_text(dir / "privkey.pem") == b.private_key_pem);
    CHECK(read_text(dir / "fullchain.pem") == b.fullchain_pem());
    CHECK(read_text(dir / "cert.pem") == b.certificate_pem);
    CHECK(read_text(dir / "chain.pem") == b.chain_pem);
    CHECK(mode_of(dir / "privkey.pem") == 0600);
    CHECK(mode_of(dir / "fullchain.pem") == 0644);

    auto again = deploy_once(cfg, b);
    REQUIRE(again.has_value());
    CHECK_FALSE(again->changed);

    SUBCASE("a changed mode is repaired") {
        REQUIRE(::chmod((dir / "privkey.pem").c_str(), 0644) == 0);
        auto fixed = deploy_once(cfg, b);
        REQUIRE(fixed.has_value());
        CHECK(fixed->changed);
        CHECK(mode_of(dir / "privkey.pem") == 0600);
    }
    SUBCASE("a new bundle replaces them") {
        auto next = make_test_bundle("files.test");
        auto r2 = deploy_once(cfg, next);
        REQUIRE(r2.has_value());
        CHECK(r2->changed);
        CHECK(read_text(dir / "cert.pem") == next.certificate_pem);
        CHECK(read_text(dir / "privkey.pem") == next.private_key_pem);
    }
}

TEST_CASE("files deployer: configured names; empty names and an empty chain skip files") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    cfg.fullchain_name = "site.crt";
    cfg.key_name = "site.key";
    cfg.cert_name = "";
    auto r = deploy_once(cfg, make_test_bundle("files.test", /*with_chain=*/false));
    REQUIRE(r.has_value());
    CHECK(mode_of(dir / "site.key") == 0600);
    CHECK(mode_of(dir / "site.crt") == 0644);
    CHECK(mode_of(dir / "cert.pem") == 0);
    CHECK(mode_of(dir / "chain.pem") == 0);
}

TEST_CASE("files deployer: owner and group by name") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    const passwd* me = ::getpwuid(::getuid());
    const group* my_group = ::getgrgid(::getgid());
    REQUIRE(me);
    REQUIRE(my_group);
    SUBCASE("known names") {
        cfg.owner = me->pw_name;
        cfg.group = my_group->gr_name;
        CHECK(deploy_once(cfg, make_test_bundle("files.test")).has_value());
    }
    SUBCASE("unknown user or group") {
        struct row { const char* owner; const char* group; const char* message; };
        for (auto [owner, group, message] : {row{"no-such-user-certman", "", "unknown user 'no-such-user-certman'"},
                                             row{"", "no-such-group-certman", "unknown group 'no-such-group-certman'"}}) {
            CAPTURE(owner);
            cfg.owner = owner;
            cfg.group = group;
            std::string error;
            auto r = deploy_once(cfg, make_test_bundle("files.test"), &error);
            CHECK(r.error() == errc::not_found);
            CHECK(error.find(message) != std::string::npos);
            CHECK(mode_of(dir / "privkey.pem") == 0);
        }
    }
}

TEST_CASE("files deployer on a blocking pool: look-ups, writes and the reload mark run there, results the same") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    auto b = make_test_bundle("files.test");
    blocking_pool pool(1);
    SUBCASE("the io thread runs while the pool is busy; the files land when it frees") {
        std::promise<void> gate;
        boost::asio::post(pool.executor(), [f = gate.get_future().share()] { f.wait(); });
        boost::asio::io_context io;
        std::vector<std::string> events;
        auto d = make_files_deployer(io.get_executor(), "local-files", cfg, &pool);
        boost::asio::co_spawn(io, [&]() -> awaitable<void> {
            auto r = co_await d->deploy("site", b);
            events.push_back(r && r->changed ? "deployed" : "failed");
        }, boost::asio::detached);
        boost::asio::steady_timer timer(io, std::chrono::milliseconds(1));
        timer.async_wait([&](boost::system::error_code) {
            events.push_back("timer");
            gate.set_value();
        });
        io.run();
        CHECK(events == std::vector<std::string>{"timer", "deployed"});
        CHECK(read_text(dir / "privkey.pem") == b.private_key_pem);
        CHECK(mode_of(dir / "privkey.pem") == 0600);
    }
    SUBCASE("current files, unknown user, reload mark") {
        REQUIRE(deploy_once(cfg, b, nullptr, &pool).value().changed);
        CHECK_FALSE(deploy_once(cfg, b, nullptr, &pool).value().changed);
        auto strange = cfg;
        strange.owner = "no-such-user-certman";
        std::string error;
        CHECK(deploy_once(strange, b, &error, &pool).error() == errc::not_found);
        CHECK(error.find("unknown user 'no-such-user-certman'") != std::string::npos);
        cfg.reload_command = {"/bin/sh", "-c", "exit 0"};
        std::filesystem::remove(dir / "cert.pem");
        auto r = deploy_once(cfg, b, nullptr, &pool);
        REQUIRE(r.has_value());
        CHECK(r->detail.find("exited 0") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir / ".certman-reload-pending"));
    }
}

TEST_CASE("files deployer: the reload command runs once per change") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    cfg.reload_command = {"sh", "-c", "echo reload >> \"$0\"", dir / "reloads.log"};
    auto b = make_test_bundle("files.test");
    auto r = deploy_once(cfg, b);
    REQUIRE(r.has_value());
    CHECK(r->detail.find("exited 0") != std::string::npos);
    REQUIRE(deploy_once(cfg, b).has_value());
    CHECK(read_text(dir / "reloads.log") == "reload\n");
    REQUIRE(deploy_once(cfg, make_test_bundle("files.test")).has_value());
    CHECK(read_text(dir / "reloads.log") == "reload\nreload\n");
}

TEST_CASE("files deployer: a failed reload is reported and retried on the next pass") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    // Fails the first time (status 3, a message on stderr), succeeds afterwards.
    cfg.reload_command = {"sh", "-c", "[ -e \"$0\" ] && exit 0; touch \"$0\"; echo 'nginx: [emerg] bad' >&2; exit 3",
                          dir / "tried"};
    auto b = make_test_bundle("files.test");
    std::string error;
    auto r = deploy_once(cfg, b, &error);
    CHECK(r.error() == errc::io_error);
    CHECK(error.find("exited with status 3") != std::string::npos);
    CHECK(error.find("nginx: [emerg] bad") != std::string::npos);
    auto retry = deploy_once(cfg, b);
    REQUIRE(retry.has_value());
    CHECK(retry->changed);
    auto settled = deploy_once(cfg, b);
    REQUIRE(settled.has_value());
    CHECK_FALSE(settled->changed);
}

TEST_CASE("files deployer: reload command timeout and missing program") {
    test::temp_dir dir;
    auto cfg = files_config(dir.path);
    cfg.timeout = std::chrono::seconds(1);
    SUBCASE("killed after the timeout") {
        cfg.reload_command = {"sh", "-c", "sleep 30; echo never"};
        std::string error;
        auto start = std::chrono::steady_clock::now();
        auto r = deploy_once(cfg, make_test_bundle("files.test"), &error);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
        CHECK(r.error() == errc::timeout);
        CHECK(error.find("timed out") != std::string::npos);
    }
    SUBCASE("no such program") {
        cfg.reload_command = {"certman-no-such-program", "reload"};
        std::string error;
        auto r = deploy_once(cfg, make_test_bundle("files.test"), &error);
        CHECK(r.error() == errc::not_found);
        CHECK(error.find("certman-no-such-program") != std::string::npos);
    }
}

TEST_CASE("files deployer: configuration checks") {
    struct row { const char* what; void (*edit)(files_deployer_options&); };
    for (auto [what, edit] : {
             row{"no directory", [](files_deployer_options& c) { c.directory.clear(); }},
             row{"a path as name", [](files_deployer_options& c) { c.key_name = "../key.pem"; }},
             row{"dot-dot", [](files_deployer_options& c) { c.cert_name = ".."; }},
             row{"same name twice", [](files_deployer_options& c) { c.cert_name = c.fullchain_name; }},
             row{"zero timeout", [](files_deployer_options& c) { c.timeout = std::chrono::seconds(0); }},
         }) {
        CAPTURE(what);
        auto cfg = files_config("/tmp");
        edit(cfg);
        boost::asio::io_context io;
        CHECK_THROWS_AS(make_files_deployer(io.get_executor(), "local-files", cfg), std::invalid_argument);
    }
}

}  // namespace
}  // namespace certman::deploy
