// The move of the account key from its old name (account.json) to account-key.pem
// (include/certman/storage/account_key_store.hpp), as a suite every backend runs: a backend's test calls
// check_account_key_migration<Fixture>() with the same Fixture as storage_contract.hpp.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "certman/core/errc.hpp"
#include "certman/storage/account_key_store.hpp"
#include "certman/storage/keys.hpp"
#include "support/run_coroutine.hpp"

namespace certman::test {

template <class Fixture>
void check_account_key_migration() {
    const std::string dir = "https://ca.test/dir";
    const std::string pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    Fixture fx;
    auto st = fx.open();
    SUBCASE("nothing stored: not_found, nothing written") {
        CHECK(run_coroutine(storage::load_account_key_pem(*st, dir)).error() == errc::not_found);
        CHECK(run_coroutine(st->list("accounts/")).value().empty());
    }
    SUBCASE("only the old name: read, written under the new name, old one removed") {
        REQUIRE(run_coroutine(st->store(storage::legacy_account_key(dir), pem)));
        CHECK(run_coroutine(storage::load_account_key_pem(*st, dir)).value() == pem);
        CHECK(run_coroutine(st->load(storage::account_key(dir))).value() == pem);
        CHECK(run_coroutine(st->load(storage::legacy_account_key(dir))).error() == errc::not_found);
        // A second load (and a second client: another instance) finds the new name.
        auto other = fx.open();
        CHECK(run_coroutine(storage::load_account_key_pem(*other, dir)).value() == pem);
    }
    SUBCASE("both names (a move cut short after the write): the new name wins, the old one is left alone") {
        REQUIRE(run_coroutine(st->store(storage::legacy_account_key(dir), "old")));
        REQUIRE(run_coroutine(st->store(storage::account_key(dir), pem)));
        CHECK(run_coroutine(storage::load_account_key_pem(*st, dir)).value() == pem);
        CHECK(run_coroutine(st->load(storage::legacy_account_key(dir))).value() == "old");
    }
    SUBCASE("only the new name") {
        REQUIRE(run_coroutine(st->store(storage::account_key(dir), pem)));
        CHECK(run_coroutine(storage::load_account_key_pem(*st, dir)).value() == pem);
    }
}

}  // namespace certman::test
