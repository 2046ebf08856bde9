#include "certman/storage/keys.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace certman::storage;

TEST_CASE("sanitize_component makes one safe lowercase component") {
    struct row {
        std::string in, out;
    };
    const row rows[] = {
        {"example.com", "example.com"},
        {"WWW.Example.COM", "www.example.com"},
        {"*.example.com", "_.example.com"},
        {"..", "_."},
        {".", "_"},
        {".hidden", "_hidden"},
        {"../../etc/passwd", "_._.._etc_passwd"},
        {"a/b", "a_b"},
        {"/abs", "_abs"},
        {std::string("nul\0byte", 8), "nul_byte"},
        {"", "_"},
        {"sp ace\ttab", "sp_ace_tab"},
        {"caf\xc3\xa9", "caf__"},
        {"under_score-dash.1", "under_score-dash.1"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(sanitize_component(r.in) == r.out);
        CHECK(is_valid_key(sanitize_component(r.in)));
    }
    CHECK(sanitize_component(std::string(500, 'a')).size() == max_component_length);
}

TEST_CASE("is_valid_key accepts only relative paths of safe components") {
    struct row {
        std::string key;
        bool valid;
    };
    const row rows[] = {
        {"certificates/a.json", true},
        {"a", true},
        {"a/b/c", true},
        {"", false},
        {"/a", false},
        {"a/", false},
        {"a//b", false},
        {"../a", false},
        {"a/../b", false},
        {"a/./b", false},
        {"a/.tmp-1", false},
        {"A/b", false},
        {"a\\b", false},
        {std::string("a\0b", 3), false},
        {"a b", false},
        {std::string(1025, 'a'), false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.key);
        CHECK(is_valid_key(r.key) == r.valid);
    }
}

TEST_CASE("is_valid_prefix allows the empty prefix and one trailing slash") {
    CHECK(is_valid_prefix(""));
    CHECK(is_valid_prefix("certificates/"));
    CHECK(is_valid_prefix("certificates/ex"));
    CHECK_FALSE(is_valid_prefix("/"));
    CHECK_FALSE(is_valid_prefix("certificates//"));
    CHECK_FALSE(is_valid_prefix("../"));
}

TEST_CASE("key builders produce valid keys that cannot escape, whatever the name") {
    const std::string hostile[] = {"../../../etc/shadow", "/etc/passwd", "..", ".", "", "a/../../b",
                                   std::string("x\0/..", 5), "*.Example.com", "C:\\windows"};
    for (const auto& name : hostile) {
        CAPTURE(name);
        for (const auto& key : {certificate_key(name), state_key(name), lease_key(name), challenge_key(name),
                                account_key(name)}) {
            CAPTURE(key);
            CHECK(is_valid_key(key));
            auto resolved = (std::filesystem::path("/srv/root") / key).lexically_normal().string();
            CHECK(resolved.starts_with("/srv/root/"));
        }
    }
}

TEST_CASE("key builders: exact layout") {
    CHECK(certificate_key("Example.com") == "certificates/example.com.json");
    CHECK(certificate_key("*.example.com") == "certificates/_.example.com.json");
    CHECK(state_key("www") == "state/www.json");
    CHECK(lease_key("www") == "leases/www.json");
    // Tokens are case-sensitive: hex keeps "Ab" and "aB" apart.
    CHECK(challenge_key("Ab") == "challenges/4162");
    CHECK(challenge_key("aB") == "challenges/6142");
    CHECK(challenge_key(std::string(150, 'x')).starts_with("challenges/sha256-"));
}

TEST_CASE("account_key: readable host, distinct per directory URL") {
    auto staging = account_key("https://acme-staging-v02.api.letsencrypt.org/directory");
    auto prod = account_key("https://acme-v02.api.letsencrypt.org/directory");
    auto pebble_a = account_key("https://127.0.0.1:14000/dir");
    auto pebble_b = account_key("https://127.0.0.1:14000/dir2");
    CHECK(staging.starts_with("accounts/acme-staging-v02.api.letsencrypt.org-"));
    CHECK(staging.ends_with("/account-key.pem"));
    CHECK(pebble_a.starts_with("accounts/127.0.0.1_14000-"));
    CHECK(staging != prod);
    CHECK(pebble_a != pebble_b);
    CHECK(account_key("https://user:secret@ca.example/dir").find("secret") == std::string::npos);
    // The hash is the first 16 hex digits of SHA-256 over the whole URL: stable across versions.
    // sha256("https://127.0.0.1:14000/dir") computed with `printf %s URL | sha256sum`.
    CHECK(pebble_a == "accounts/127.0.0.1_14000-6d8ba56d5d58fae0/account-key.pem");
    // The rollover's pending key and the pre-rename name share the account's folder.
    CHECK(pending_account_key("https://127.0.0.1:14000/dir") == "accounts/127.0.0.1_14000-6d8ba56d5d58fae0/account-key.next.pem");
    CHECK(legacy_account_key("https://127.0.0.1:14000/dir") == "accounts/127.0.0.1_14000-6d8ba56d5d58fae0/account.json");
    for (const auto& k : {pebble_a, pending_account_key("x"), legacy_account_key("x")}) CHECK(is_valid_key(k));
}
