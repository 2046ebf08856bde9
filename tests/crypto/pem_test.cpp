#include <doctest/doctest.h>
#include "certman/core/base64url.hpp"
#include "certman/crypto/pem.hpp"
#include "fixture_file.hpp"

using namespace certman;
using namespace certman::crypto;

TEST_CASE("PEM: PKCS#8 round trip for every key_type") {
    for (key_type t : {key_type::ec256, key_type::ec384, key_type::rsa2048}) {
        CAPTURE(to_string(t));
        auto key = generate_key(t).value();
        auto pem = to_pem(key);
        REQUIRE(pem.has_value());
        CHECK(pem->starts_with("-----BEGIN PRIVATE KEY-----\n"));
        auto back = private_key_from_pem(*pem);
        REQUIRE(back.has_value());
        CHECK(back->type() == t);
        CHECK(*back == key);
    }
}

TEST_CASE("PEM: PKCS#1 output is a real RSAPrivateKey and parses back to the same key") {
    auto key = generate_key(key_type::rsa2048).value();
    auto pem = to_pkcs1_pem(key);
    REQUIRE(pem.has_value());
    CHECK(pem->starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    CHECK(pem->find("-----END RSA PRIVATE KEY-----") != std::string::npos);
    CHECK(*private_key_from_pem(*pem) == key);
    // RFC 8017 A.1.2: RSAPrivateKey ::= SEQUENCE { version INTEGER (0), modulus INTEGER, ... }, while PKCS#8
    // has SEQUENCE { version, AlgorithmIdentifier SEQUENCE, ... }: the element after the version tells them apart.
    const std::string_view head = "-----BEGIN RSA PRIVATE KEY-----\n";
    const std::size_t end = pem->find("-----END");
    auto der = base64_decode(std::string_view(*pem).substr(head.size(), end - head.size()));
    REQUIRE(der.has_value());
    REQUIRE(der->size() > 8);
    CHECK(static_cast<unsigned char>((*der)[0]) == 0x30);
    CHECK(der->substr(4, 3) == std::string("\x02\x01\x00", 3));
    CHECK(static_cast<unsigned char>((*der)[7]) == 0x02);
}

TEST_CASE("PEM: PKCS#1 is refused for EC keys") {
    auto key = generate_key(key_type::ec256).value();
    CHECK(to_pkcs1_pem(key).error() == errc::unsupported);
}

TEST_CASE("PEM: reads SEC1 EC and PKCS#1 RSA keys written by the openssl CLI") {
    SUBCASE("SEC1") {
        std::string pem = test::fixture_file("crypto/ca.key");
        REQUIRE(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"));
        auto key = private_key_from_pem(pem);
        REQUIRE(key.has_value());
        CHECK(key->type() == key_type::ec256);
    }
    SUBCASE("PKCS#8 RSA from the CLI") {
        auto key = private_key_from_pem(test::fixture_file("crypto/leaf.key"));
        REQUIRE(key.has_value());
        CHECK(key->type() == key_type::rsa2048);
    }
}

TEST_CASE("PEM: garbage is a parse error") {
    for (const char* bad : {"", "hello", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}) {
        CAPTURE(bad);
        CHECK(private_key_from_pem(bad).error() == errc::parse_error);
    }
}
