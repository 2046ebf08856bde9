// oss_storage against the Alibaba emulator (tests/emulators/alibaba_emulator.py), built as its own binary
// (certman_oss_contract) and run by tests/integration/test_oss_storage.py, which starts the emulator and sets
// CERTMAN_OSS_ENDPOINT ("http://127.0.0.1:PORT"). Each fixture works under a fresh prefix of the shared
// fixture bucket, so every SUBCASE starts from an empty store. Test cases tagged "faults" expect the caller
// to have armed emulator faults (every Nth OSS request failing) and check that retries hide them.
#include <boost/asio/this_coro.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "certman/cloud/alibaba/oss_client.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/oss_storage.hpp"
#include "storage/account_key_contract.hpp"
#include "storage/storage_contract.hpp"
#include "support/run_coroutine.hpp"

namespace asio = boost::asio;
using namespace certman;
using namespace std::chrono_literals;
using test::run_coroutine;

namespace {

std::string emulator_endpoint() {
    const char* e = std::getenv("CERTMAN_OSS_ENDPOINT");
    if (!e || !*e) throw std::runtime_error("CERTMAN_OSS_ENDPOINT is not set (run test_oss_storage.py)");
    return e;
}

// The contract suite runs every call on a fresh io_context (run_coroutine), so the transport is built on the
// awaiting coroutine's executor for each request instead of once.
class per_call_http_client final : public net::http_client {
public:
    asio::awaitable<result<net::http_response>> send(net::http_request request) override {
        auto executor = co_await asio::this_coro::executor;
        const net::http_client_options options;  // not a braced temporary in a co_await expression (GCC 12)
        auto client = net::make_http_client(executor, options);
        co_return co_await client->send(std::move(request));
    }
};

cloud::alibaba::credentials_source static_key(std::string id = "LTAI5tEmulatorKey0001",
                                              std::string secret = "emulator-secret-0001") {
    cloud::alibaba::credentials key{std::move(id), std::move(secret), ""};
    return [key]() -> asio::awaitable<result<cloud::alibaba::credentials>> { co_return key; };
}

std::shared_ptr<cloud::alibaba::oss_client> client_for(std::string bucket,
                                                       cloud::alibaba::credentials_source key = static_key()) {
    cloud::alibaba::oss_client_options o;
    o.endpoint = cloud::alibaba::parse_oss_endpoint(emulator_endpoint()).value();
    o.bucket = std::move(bucket);
    o.region = "cn-hangzhou";
    o.timeout = 5s;
    // The fault run (test_oss_storage.py) fails a fixed share of all requests; it allows more tries so that
    // the chance of one call meeting a fault on every try stays negligible over hundreds of calls.
    const char* attempts = std::getenv("CERTMAN_OSS_MAX_ATTEMPTS");
    o.max_attempts = attempts ? std::atoi(attempts) : 4;
    o.base_delay = 20ms;
    o.max_delay = 200ms;
    return std::make_shared<cloud::alibaba::oss_client>(std::make_shared<per_call_http_client>(), std::move(key), o);
}

std::atomic<int> fixture_counter{0};

struct oss_fixture {
    std::string prefix = "contract-" + std::to_string(::getpid()) + "-" + std::to_string(++fixture_counter) + "/";
    std::unique_ptr<storage::storage> open() {
        return storage::make_oss_storage(client_for("certman-store"), {prefix, false, true});
    }
};

}  // namespace

TEST_CASE("oss_storage meets the storage contract") { test::check_storage_contract<oss_fixture>(); }

TEST_CASE("oss_storage: account.json moves to account-key.pem") { test::check_account_key_migration<oss_fixture>(); }

TEST_CASE("oss_storage: describe, prefix isolation, server-side encryption header accepted") {
    oss_fixture a, b;
    auto sa = a.open();
    auto sb = b.open();
    CHECK(sa->describe() == "oss:certman-store/" + a.prefix.substr(0, a.prefix.size() - 1));
    REQUIRE(run_coroutine(sa->store("certificates/x.json", "A")));
    CHECK(run_coroutine(sb->load("certificates/x.json")).error() == errc::not_found);
    CHECK(run_coroutine(sb->list("")).value().empty());
    auto enc = storage::make_oss_storage(client_for("certman-store"), {a.prefix, true, true});
    REQUIRE(run_coroutine(enc->store("certificates/y.json", "secret key")));
    CHECK(run_coroutine(sa->load("certificates/y.json")).value() == "secret key");
}

TEST_CASE("oss_storage: list follows continuation tokens past one page") {
    oss_fixture fx;
    auto client = client_for("certman-store");
    auto s = storage::make_oss_storage(client, {fx.prefix, false, true});
    std::vector<std::string> want;
    for (int i = 0; i < 25; ++i) {
        want.push_back("state/n" + std::to_string(100 + i) + ".json");
        REQUIRE(run_coroutine(s->store(want.back(), "v")));
    }
    auto page = run_coroutine(client->list_objects_v2(fx.prefix + "state/", "", 10));
    REQUIRE(page.has_value());
    CHECK(page->truncated);
    CHECK(page->keys.size() == 10);
    CHECK(run_coroutine(s->list("state/")).value() == want);
}

TEST_CASE("oss errors name the operation, object, code and request id") {
    oss_fixture fx;
    SUBCASE("wrong secret → SignatureDoesNotMatch, not retried") {
        auto client = client_for("certman-store", static_key("LTAI5tEmulatorKey0001", "wrong"));
        auto s = storage::make_oss_storage(client, {fx.prefix, false, false});
        const auto r = run_coroutine(s->store("certificates/a.json", "v"));
        CHECK(r.error() == errc::cloud_error);
        const auto message = r.error().message();
        CAPTURE(message);
        CHECK(message.starts_with("PutObject " + fx.prefix + "certificates/a.json: SignatureDoesNotMatch "
                                  "(HTTP 403, RequestId "));
        CHECK(r.error().peer_code() == "SignatureDoesNotMatch");
        CHECK(client->requests_sent() == 1);
        CHECK(message.find("wrong") == std::string::npos);
    }
    SUBCASE("a 404 that is not NoSuchKey (unknown bucket, a proxy's page) is an error, not not_found") {
        auto s = storage::make_oss_storage(client_for("no-such-bucket-here"), {fx.prefix, false, false});
        auto r = run_coroutine(s->load("certificates/a.json"));
        CHECK(r.error() == errc::cloud_error);
        CHECK(r.error().message().starts_with("GetObject " + fx.prefix + "certificates/a.json: error (HTTP 404"));
    }
}

TEST_CASE("oss_storage refuses a versioned bucket" * doctest::skip(std::getenv("CERTMAN_OSS_VERSIONED_BUCKET") == nullptr)) {
    auto s = storage::make_oss_storage(client_for(std::getenv("CERTMAN_OSS_VERSIONED_BUCKET")), {"", false, true});
    const auto r = run_coroutine(s->create("leases/www.json", "x"));
    CHECK(r.error() == errc::config_error);
    CAPTURE(r.error().message());
    CHECK(r.error().message().find("versioning Enabled") != std::string::npos);
    CHECK(r.error().message().find("forbid-overwrite") != std::string::npos);
    CHECK(run_coroutine(s->load("a")).error() == errc::config_error);
}

namespace {

// POSTs JSON to the emulator's unsigned control API (/_emulator/...).
void emulator_control(const std::string& path, const std::string& json, const std::string& method = "POST") {
    net::http_request req;
    req.method = method;
    req.url = emulator_endpoint() + "/_emulator/" + path;
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = json;
    per_call_http_client http;
    auto res = run_coroutine(http.send(std::move(req)));
    REQUIRE(res.has_value());
    REQUIRE(res->status == 200);
}

}  // namespace

TEST_CASE("create whose first attempt timed out but landed still succeeds exactly once") {
    oss_fixture fx;
    cloud::alibaba::oss_client_options o = client_for("certman-store")->options();
    o.timeout = 600ms;
    auto client = std::make_shared<cloud::alibaba::oss_client>(std::make_shared<per_call_http_client>(),
                                                               static_key(), o);
    auto s = storage::make_oss_storage(client, {fx.prefix, false, false});
    // The emulator carries the PutObject out, then answers after 1.5 s: the client gives up at 600 ms, retries,
    // meets 409 and must recognise its own bytes.
    emulator_control("faults", R"({"target":"oss","kind":"slow","seconds":1.5,"action":"PutObject","times":1})");
    auto r = run_coroutine(s->create("leases/www.json", "owner-a"));
    emulator_control("faults", "", "DELETE");
    CHECK(r.has_value());
    CHECK(client->requests_sent() == 3);  // PUT (timed out), PUT (409), GET (own bytes)
    CHECK(run_coroutine(s->create("leases/www.json", "owner-b")).error() == errc::already_exists);
    CHECK(run_coroutine(s->load("leases/www.json")).value() == "owner-a");
}

TEST_CASE("retries are bounded: a bucket failing every request gives up with the last error") {
    oss_fixture fx;
    auto client = client_for("certman-store");
    REQUIRE(client->options().max_attempts == 4);
    auto s = storage::make_oss_storage(client, {fx.prefix, false, false});
    emulator_control("faults", R"({"target":"oss","code":"ServiceUnavailable","times":-1})");
    auto r = run_coroutine(s->store("state/www.json", "v"));
    emulator_control("faults", "", "DELETE");
    CHECK(r.error() == errc::cloud_error);
    CHECK(client->requests_sent() == 4);
    CAPTURE(r.error().message());
    CHECK(r.error().message().starts_with("PutObject " + fx.prefix + "state/www.json: ServiceUnavailable (HTTP 503"));
}

TEST_CASE("list ends when the service's continuation tokens cycle (a → b → a), naming ListObjectsV2") {
    oss_fixture fx;
    auto client = client_for("certman-store");
    auto s = storage::make_oss_storage(client, {fx.prefix, false, false});
    REQUIRE(run_coroutine(s->store("state/www.json", "v")));
    const auto before = client->requests_sent();
    emulator_control("faults", R"({"target":"oss","kind":"tokens","tokens":["a","b"],"times":-1})");
    auto r = run_coroutine(s->list("state/"));
    emulator_control("faults", "", "DELETE");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::protocol_error);
    CAPTURE(r.error().message());
    CHECK(r.error().message() ==
          "ListObjectsV2 certman-store: the continuation token of page 3 was given before (the listing would never end)");
    CHECK(client->requests_sent() - before == 3);  // pages 1-3, no fourth
}
