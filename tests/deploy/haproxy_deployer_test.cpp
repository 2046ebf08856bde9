// The haproxy deployer against a fake runtime API on a unix socket: it answers like HAProxy 2.6 (one command
// per connection, payload up to the empty line) and keeps the served certificate's serial and fingerprint.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>

#include "certman/core/errc.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/deploy/haproxy_cli.hpp"
#include "certman/deploy/haproxy_deployer.hpp"
#include "haproxy_files_test_support.hpp"
#include "support/run_coroutine.hpp"

namespace certman::deploy {
namespace {
namespace asio = boost::asio;
using asio::awaitable;
using local = asio::local::stream_protocol;

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

// HAProxy's CLI as far as the deployer uses it. `override_reply` may replace the answer to a command.
struct fake_haproxy {
    std::string path;
    std::string crt_path;
    std::string served_serial = "0A", served_sha1 = "00112233445566778899AABBCCDDEEFF00112233";
    std::string pending_pem;
    std::vector<std::string> commands;  // first line of each
    std::function<std::optional<std::string>(const std::string&)> override_reply = [](auto&) { return std::nullopt; };
    bool silent = false;                // accept and never answer

    std::string answer(const std::string& line, const std::string& payload) {
        if (auto r = override_reply(line)) return *r;
        if (line == "show ssl cert " + crt_path)
            return "Filename: " + crt_path + "\nStatus: Used\nSerial: " + served_serial + "\nnotBefore: x\n" +
                   "SHA1 FingerPrint: " + served_sha1 + "\n\n";
        if (line.rfind("show ssl cert ", 0) == 0)
            return "Can't display the certificate: Not found or the certificate is a bundle!\n";
        if (line == "set ssl cert " + crt_path + " <<") {
            bool updated = !pending_pem.empty();
            pending_pem = payload;
            return std::string("Transaction ") + (updated ? "updated" : "created") + " for certificate " + crt_path + "!\n";
        }
        if (line == "commit ssl cert " + crt_path) {
            auto facts = crypto::inspect_certificate(pending_pem);
            if (pending_pem.empty() || !facts) return "No ongoing transaction! !\n";
            served_serial = upper(facts->serial_hex);
            served_sha1 = upper(facts->sha1_fingerprint);
            pending_pem.clear();
            return "Committing " + crt_path + ".\nSuccess!\n";
        }
        if (line == "abort ssl cert " + crt_path) {
            pending_pem.clear();
            return "Transaction aborted for certificate '" + crt_path + "'!\n";
        }
        return "Unknown command.\n";
    }

    awaitable<void> session(local::socket s) {
        std::string in;
        boost::system::error_code ec;
        auto n = co_await asio::async_read_until(s, asio::dynamic_buffer(in), '\n', asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        auto line = in.substr(0, n - 1);
        std::string payload;
        if (line.size() > 3 && line.ends_with(" <<")) {
            auto m = co_await asio::async_read_until(s, asio::dynamic_buffer(in), "\n\n", asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            payload = in.substr(n, m - n - 1);
        }
        commands.push_back(line);
        if (silent) {
            // Until the client gives up and closes.
            co_await asio::async_read(s, asio::dynamic_buffer(in), asio::redirect_error(asio::use_awaitable, ec));
            co_return;
        }
        co_await asio::async_write(s, asio::buffer(answer(line, payload)), asio::redirect_error(asio::use_awaitable, ec));
    }

    awaitable<void> serve(local::acceptor& acceptor) {
        for (;;) {
            boost::system::error_code ec;
            auto s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            asio::co_spawn(acceptor.get_executor(), session(std::move(s)), asio::detached);
        }
    }
};

struct fixture {
    test::temp_dir dir;
    fake_haproxy fake;
    haproxy_deployer_options cfg;
    std::string error;
    fixture() {
        fake.path = dir / "admin.sock";
        fake.crt_path = dir / "site.pem";
        cfg.socket = fake.path;
        cfg.crt_path = fake.crt_path;
        cfg.timeout = std::chrono::seconds(1);
    }
    // One deploy against the fake (listening unless `listen` is false).
    result<deploy_outcome> deploy(const storage::certificate_bundle& b, bool listen = true) {
        fake.commands.clear();
        return test::run_coroutine([&]() -> awaitable<result<deploy_outcome>> {
            auto ex = co_await asio::this_coro::executor;
            local::acceptor acceptor(ex);
            if (listen) {
                acceptor = local::acceptor(ex, local::endpoint(fake.path));
                asio::co_spawn(ex, fake.serve(acceptor), asio::detached);
            }
            auto d = make_haproxy_deployer(ex, "lb", cfg);
            auto r = co_await d->deploy("site", b);
            error = r ? std::string() : r.error().message();
            acceptor.close();
            ::unlink(fake.path.c_str());
            co_return r;
        });
    }
};

TEST_CASE("haproxy deployer: set + commit, verified, then nothing to do") {
    fixture f;
    auto b = test::make_test_bundle("lb.test");
    auto r = f.deploy(b);
    REQUIRE(r.has_value());
    CHECK(r->changed);
    auto facts = crypto::inspect_certificate(b.certificate_pem);
    REQUIRE(facts.has_value());
    CHECK(r->detail.find(facts->serial_hex) != std::string::npos);
    CHECK(f.fake.commands == std::vector<std::string>{"show ssl cert " + f.fake.crt_path,
                                                      "set ssl cert " + f.fake.crt_path + " <<",
                                                      "commit ssl cert " + f.fake.crt_path,
                                                      "show ssl cert " + f.fake.crt_path});
    CHECK(upper(facts->sha1_fingerprint) == f.fake.served_sha1);
    // The file HAProxy loads at start: fullchain then key, 0600.
    auto file = test::read_text(f.fake.crt_path);
    CHECK(file == haproxy::sanitize_pem_payload(b.fullchain_pem() + b.private_key_pem));
    CHECK(test::mode_of(f.fake.crt_path) == 0600);

    auto again = f.deploy(b);
    REQUIRE(again.has_value());
    CHECK_FALSE(again->changed);
    CHECK(f.fake.commands == std::vector<std::string>{"show ssl cert " + f.fake.crt_path});
}

TEST_CASE("haproxy deployer: HAProxy's refusals are reported with its own text") {
    fixture f;
    auto b = test::make_test_bundle("lb.test");
    SUBCASE("set refused") {
        f.fake.override_reply = [](const std::string& l) -> std::optional<std::string> {
            if (l.rfind("set ssl cert", 0) == 0) return "Can't replace a certificate which is not referenced by the configuration!\n";
            return std::nullopt;
        };
        CHECK(f.deploy(b).error() == errc::protocol_error);
        CHECK(f.error.find("set ssl cert") != std::string::npos);
        CHECK(f.error.find("not referenced by the configuration") != std::string::npos);
    }
    SUBCASE("commit fails: the transaction is aborted") {
        f.fake.override_reply = [](const std::string& l) -> std::optional<std::string> {
            if (l.rfind("commit ssl cert", 0) == 0) return "Committing x\nError: inconsistencies between private key and certificate loaded.\n";
            return std::nullopt;
        };
        CHECK(f.deploy(b).error() == errc::protocol_error);
        CHECK(f.error.find("inconsistencies between private key") != std::string::npos);
        CHECK(f.fake.commands.back() == "abort ssl cert " + f.fake.crt_path);
        CHECK(f.fake.pending_pem.empty());
    }
    SUBCASE("certificate not loaded by HAProxy") {
        f.cfg.crt_path = f.dir / "other.pem";
        CHECK(f.deploy(b).error() == errc::protocol_error);
        CHECK(f.error.find("does not know this certificate") != std::string::npos);
    }
    SUBCASE("socket without level admin") {
        f.fake.override_reply = [](const std::string&) -> std::optional<std::string> { return "Permission denied\n"; };
        CHECK(f.deploy(b).error() == errc::protocol_error);
        CHECK(f.error.find("level admin") != std::string::npos);
    }
    SUBCASE("commit succeeded but HAProxy still serves another certificate") {
        f.fake.override_reply = [&](const std::string& l) -> std::optional<std::string> {
            if (l.rfind("commit ssl cert", 0) == 0) return "Committing x\nSuccess!\n";
            return std::nullopt;
        };
        CHECK(f.deploy(b).error() == errc::protocol_error);
        CHECK(f.error.find("verify") != std::string::npos);
    }
}

TEST_CASE("haproxy deployer: socket problems and timeouts") {
    fixture f;
    auto b = test::make_test_bundle("lb.test");
    SUBCASE("no socket") {
        CHECK(f.deploy(b, /*listen=*/false).error() == errc::io_error);
        CHECK(f.error.find("connect " + f.fake.path) != std::string::npos);
        CHECK(f.error.find("stats socket") != std::string::npos);
    }
    SUBCASE("HAProxy never answers") {
        f.fake.silent = true;
        auto start = std::chrono::steady_clock::now();
        CHECK(f.deploy(b).error() == errc::timeout);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
        CHECK(f.error.find("timed out") != std::string::npos);
    }
    SUBCASE("crt_path not writable") {
        f.cfg.crt_path = f.fake.crt_path = "/proc/certman-cannot-write.pem";
        CHECK(f.deploy(b).error() == errc::io_error);
        CHECK(f.error.find("write /proc/certman-cannot-write.pem") != std::string::npos);
    }
}

TEST_CASE("haproxy deployer: configuration checks") {
    struct row { const char* what; void (*edit)(haproxy_deployer_options&); };
    for (auto [what, edit] : {
             row{"no socket", [](haproxy_deployer_options& c) { c.socket.clear(); }},
             row{"no crt_path", [](haproxy_deployer_options& c) { c.crt_path.clear(); }},
             row{"relative crt_path", [](haproxy_deployer_options& c) { c.crt_path = "site.pem"; }},
             row{"space in crt_path", [](haproxy_deployer_options& c) { c.crt_path = "/etc/my site.pem"; }},
             row{"zero timeout", [](haproxy_deployer_options& c) { c.timeout = std::chrono::seconds(0); }},
         }) {
        CAPTURE(what);
        haproxy_deployer_options cfg;
        cfg.socket = "/run/haproxy/admin.sock";
        cfg.crt_path = "/etc/haproxy/certs/site.pem";
        edit(cfg);
        asio::io_context io;
        CHECK_THROWS_AS(make_haproxy_deployer(io.get_executor(), "lb", cfg), std::invalid_argument);
    }
}

}  // namespace
}  // namespace certman::deploy
