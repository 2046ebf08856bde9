#include <doctest/doctest.h>
#include "certman/crypto/key_type.hpp"

using namespace certman;
using namespace certman::crypto;

TEST_CASE("key_type: names round-trip and classify") {
    struct row { const char* name; key_type type; bool rsa; };
    const row rows[] = {
        {"ec256", key_type::ec256, false},     {"ec384", key_type::ec384, false},
        {"rsa2048", key_type::rsa2048, true}, {"rsa3072", key_type::rsa3072, true},
        {"rsa4096", key_type::rsa4096, true},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        CHECK(parse_key_type(r.name).value() == r.type);
        CHECK(to_string(r.type) == r.name);
        CHECK(is_rsa(r.type) == r.rsa);
    }
}

TEST_CASE("key_type: empty means ec256, other spellings are rejected") {
    CHECK(parse_key_type("").value() == key_type::ec256);
    for (const char* bad : {"EC256", "ec-256", "p256", "rsa", "rsa1024", "ed25519", " ec256"}) {
        CAPTURE(bad);
        CHECK(parse_key_type(bad).error() == errc::invalid_argument);
    }
}
