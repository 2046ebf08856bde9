// The storage contract (include/certman/storage/storage.hpp) as a reusable doctest suite. A backend's test
// file provides a Fixture type and calls the suite from one TEST_CASE:
//
//     struct my_fixture {              // constructor: a fresh, empty backend; destructor: clean it up
//         std::unique_ptr<certman::storage::storage> open();  // a new client on that same backend
//     };
//     TEST_CASE("oss_storage meets the storage contract") { certman::test::check_storage_contract<my_fixture>(); }
//
// Each SUBCASE runs on a fresh Fixture. open() may be called several times: two clients of one backend
// stand for two certman instances sharing it.
#pragma once
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "certman/storage/keys.hpp"
#include "certman/storage/storage.hpp"
#include "storage/lease_contract.hpp"
#include "support/run_coroutine.hpp"

namespace certman::test {

// Every key in `keys` is created concurrently by one coroutine per (client, key) pair on one io_context;
// returns how many creates succeeded, and checks that the others failed with already_exists.
inline int race_creates(std::vector<std::unique_ptr<storage::storage>>& clients, const std::string& key, int rounds) {
    boost::asio::io_context ctx;
    int wins = 0;
    for (int i = 0; i < rounds; ++i) {
        for (std::size_t c = 0; c < clients.size(); ++c) {
            auto* s = clients[c].get();
            std::string value = "writer-" + std::to_string(c) + "-" + std::to_string(i);
            boost::asio::co_spawn(
                ctx,
                [s, key, value, &wins]() -> boost::asio::awaitable<void> {
                    auto r = co_await s->create(key, value);
                    if (r) ++wins;
                    else CHECK(r.error() == errc::already_exists);
                },
                boost::asio::detached);
        }
    }
    ctx.run();
    return wins;
}

template <class Fixture>
void check_storage_contract() {
    Fixture fx;
    auto s = fx.open();
    auto load = [&](const std::string& k) { return run_coroutine(s->load(k)); };
    auto store = [&](const std::string& k, const std::string& v) { return run_coroutine(s->store(k, v)); };
    auto create = [&](const std::string& k, const std::string& v) { return run_coroutine(s->create(k, v)); };
    auto remove = [&](const std::string& k) { return run_coroutine(s->remove(k)); };
    auto list = [&](const std::string& p) { return run_coroutine(s->list(p)); };

    CHECK_FALSE(s->describe().empty());

    SUBCASE("missing key is not_found") {
        CHECK(load("certificates/missing.json").error() == errc::not_found);
        CHECK(load("deep/er/missing").error() == errc::not_found);
        // The failure names the key: "load certificates/missing.json: ..." (storage.hpp).
        CHECK(load("certificates/missing.json").error().message().starts_with("load certificates/missing.json: "));
        CHECK(load("deep/er/missing").error().message().starts_with("load deep/er/missing: "));
    }
    SUBCASE("store then load returns the same bytes") {
        const std::string values[] = {"", "x", std::string("bin\0\xff\n", 6), std::string(1 << 20, 'z')};
        for (const auto& v : values) {
            CAPTURE(v.size());
            REQUIRE(store("a/b/value", v));
            auto got = load("a/b/value");
            REQUIRE(got);
            CHECK(*got == v);
        }
    }
    SUBCASE("store replaces") {
        REQUIRE(store("k", "old"));
        REQUIRE(store("k", "new"));
        CHECK(load("k").value() == "new");
    }
    SUBCASE("create is create-if-absent") {
        REQUIRE(create("leases/x.json", "first"));
        const auto lost = create("leases/x.json", "second");
        CHECK(lost.error() == errc::already_exists);
        CAPTURE(lost.error().message());
        CHECK(lost.error().message().find("leases/x.json") != std::string::npos);  // names the key or object
        CHECK(lost.error().message().find("second") == std::string::npos);         // never the value
        CHECK(load("leases/x.json").value() == "first");
        REQUIRE(store("s", "stored"));
        CHECK(create("s", "created").error() == errc::already_exists);
        REQUIRE(store("leases/x.json", "overwritten"));
        CHECK(load("leases/x.json").value() == "overwritten");
    }
    SUBCASE("remove deletes; removing a missing key succeeds") {
        REQUIRE(store("a/k", "v"));
        REQUIRE(remove("a/k"));
        CHECK(load("a/k").error() == errc::not_found);
        CHECK(remove("a/k"));
        CHECK(remove("never/existed"));
        REQUIRE(create("a/k", "again"));  // create works after remove
        CHECK(load("a/k").value() == "again");
    }
    SUBCASE("list returns the keys with a string prefix, sorted, recursively") {
        for (const char* k : {"certificates/b.json", "certificates/a.json", "certificates/sub/c.json",
                              "certs", "state/a.json"})
            REQUIRE(store(k, "v"));
        using v = std::vector<std::string>;
        CHECK(list("certificates/").value() == v{"certificates/a.json", "certificates/b.json", "certificates/sub/c.json"});
        CHECK(list("cert").value() == v{"certificates/a.json", "certificates/b.json", "certificates/sub/c.json", "certs"});
        CHECK(list("certificates/a").value() == v{"certificates/a.json"});
        CHECK(list("").value().size() == 5);
        CHECK(list("nothing/").value().empty());
        REQUIRE(remove("certificates/b.json"));
        CHECK(list("certificates/").value() == v{"certificates/a.json", "certificates/sub/c.json"});
    }
    SUBCASE("invalid keys and prefixes are refused before any I/O") {
        const std::string bad[] = {"", "/etc/passwd", "../escape", "a/../../b", "a//b", "A", ".hidden", "a/"};
        for (const auto& k : bad) {
            CAPTURE(k);
            CHECK(load(k).error() == errc::invalid_argument);
            CHECK(store(k, "v").error() == errc::invalid_argument);
            CHECK(create(k, "v").error() == errc::invalid_argument);
            CHECK(remove(k).error() == errc::invalid_argument);
            // The message names the operation and the key (the caller logs it as is).
            CHECK(store(k, "v").error().message() == "store " + k + ": not a valid storage key");
            CHECK(load(k).error().message() == "load " + k + ": not a valid storage key");
        }
        CHECK(list("../").error() == errc::invalid_argument);
        CHECK(list("/").error() == errc::invalid_argument);
        CHECK(list("").value().empty());
    }
    SUBCASE("keys from the key builder round-trip, hostile names included") {
        for (const char* name : {"../../etc/passwd", "*.Example.COM", ".."}) {
            CAPTURE(name);
            REQUIRE(store(storage::certificate_key(name), name));
            CHECK(load(storage::certificate_key(name)).value() == name);
        }
        CHECK(list("").value().size() == 3);
        CHECK(list(std::string(storage::certificates_prefix)).value().size() == 3);
    }
    SUBCASE("two clients of one backend see each other's writes") {
        auto other = fx.open();
        REQUIRE(store("shared/k", "from-first"));
        CHECK(run_coroutine(other->load("shared/k")).value() == "from-first");
        CHECK(run_coroutine(other->create("shared/k", "x")).error() == errc::already_exists);
    }
    SUBCASE("concurrent creates: exactly one wins") {
        std::vector<std::unique_ptr<storage::storage>> clients;
        clients.push_back(fx.open());
        clients.push_back(fx.open());
        CHECK(race_creates(clients, "leases/race.json", 8) == 1);
        CHECK(load("leases/race.json").value().starts_with("writer-"));
    }
    SUBCASE("leases") { check_lease_contract(fx, *s); }
}

}  // namespace certman::test
