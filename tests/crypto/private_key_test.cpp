#include <doctest/doctest.h>
#include <openssl/evp.h>
#include "certman/crypto/private_key.hpp"

using namespace certman;
using namespace certman::crypto;

TEST_CASE("generate_key: each key_type gives a key of that type") {
    struct row { key_type type; const char* algorithm; int bits; };
    const row rows[] = {
        {key_type::ec256, "EC", 256},      {key_type::ec384, "EC", 384},
        {key_type::rsa2048, "RSA", 2048}, {key_type::rsa3072, "RSA", 3072},
        {key_type::rsa4096, "RSA", 4096},
    };
    for (const auto& r : rows) {
        CAPTURE(to_string(r.type));
        auto key = generate_key(r.type);
        REQUIRE(key.has_value());
        CHECK(key->type() == r.type);
        CHECK(EVP_PKEY_is_a(key->native(), r.algorithm) == 1);
        CHECK(EVP_PKEY_get_bits(key->native()) == r.bits);
        CHECK(key_type_of(key->native()).value() == r.type);
    }
}

TEST_CASE("private_key: copies share the key, distinct keys differ") {
    auto a = generate_key(key_type::ec256).value();
    auto b = generate_key(key_type::ec256).value();
    private_key copy = a;
    CHECK(copy == a);
    CHECK(copy.native() == a.native());
    CHECK_FALSE(a == b);
    copy = b;
    CHECK(copy == b);
    private_key moved = std::move(copy);
    CHECK(moved == b);
}

TEST_CASE("private_key::adopt rejects unsupported and public-only keys") {
    SUBCASE("P-521 is not a key_type") {
        evp_pkey_ptr p521(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521"));
        REQUIRE(p521);
        CHECK(private_key::adopt(std::move(p521)).error() == errc::unsupported);
    }
    SUBCASE("RSA 1024 is not a key_type") {
        evp_pkey_ptr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}));
        REQUIRE(small);
        CHECK(private_key::adopt(std::move(small)).error() == errc::unsupported);
    }
    SUBCASE("Ed25519 is not a key_type") {
        evp_pkey_ptr ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        REQUIRE(ed);
        CHECK(private_key::adopt(std::move(ed)).error() == errc::unsupported);
    }
    SUBCASE("null") { CHECK(private_key::adopt(nullptr).error() == errc::invalid_argument); }
    SUBCASE("public half only") {
        auto key = generate_key(key_type::ec256).value();
        unsigned char* der = nullptr;
        int len = i2d_PUBKEY(key.native(), &der);
        REQUIRE(len > 0);
        const unsigned char* p = der;
        evp_pkey_ptr pub(d2i_PUBKEY(nullptr, &p, len));
        OPENSSL_free(der);
        REQUIRE(pub);
        CHECK(private_key::adopt(std::move(pub)).error() == errc::invalid_argument);
    }
}
