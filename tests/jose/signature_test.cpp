#include <doctest/doctest.h>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/signature.hpp"
#include "rfc_vectors.hpp"

using namespace certman;
using namespace certman::jose;
using crypto::key_type;

TEST_CASE("jws_alg") {
    CHECK(jws_alg(key_type::ec256) == "ES256");
    CHECK(jws_alg(key_type::ec384) == "ES384");
    CHECK(jws_alg(key_type::rsa2048) == "RS256");
    CHECK(jws_alg(key_type::rsa3072) == "RS256");
    CHECK(jws_alg(key_type::rsa4096) == "RS256");
}

TEST_CASE("RS256: RFC 7515 A.2 signature, byte for byte") {
    auto key = private_key_from_jwk(test::rfc_vector("a2").at("jwk").as_object());
    REQUIRE(key.has_value());
    auto sig = sign_input(*key, test::rfc_signing_input("a2"));
    REQUIRE(sig.has_value());
    CHECK(base64url_encode(*sig) == test::rfc_string("a2", "signature"));
}

TEST_CASE("ES256: RFC 7515 A.3 signature verifies with the RFC's public key") {
    auto pub = key_from_jwk(test::public_members(test::rfc_vector("a3").at("jwk").as_object()));
    REQUIRE(pub.has_value());
    const std::string sig = base64url_decode(test::rfc_string("a3", "signature")).value();
    const std::string input = test::rfc_signing_input("a3");
    CHECK(verify_input(pub->get(), "ES256", input, sig).has_value());
    std::string flipped = sig;
    flipped[10] = static_cast<char>(flipped[10] ^ 1);
    CHECK(verify_input(pub->get(), "ES256", input, flipped).error() == errc::crypto_error);
    CHECK(verify_input(pub->get(), "ES256", input + " ", sig).error() == errc::crypto_error);
    CHECK(verify_input(pub->get(), "ES256", input, sig.substr(1)).error() == errc::crypto_error);
    CHECK(verify_input(pub->get(), "ES384", input, sig).error() == errc::invalid_argument);
    CHECK(verify_input(pub->get(), "RS256", input, sig).error() == errc::invalid_argument);
    CHECK(verify_input(pub->get(), "none", input, "").error() == errc::unsupported);
    CHECK(verify_input(pub->get(), "HS256", input, sig).error() == errc::unsupported);
}

TEST_CASE("sign_input: own signatures verify (ECDSA is randomized), for every key type") {
    const std::string input = test::rfc_signing_input("a3");
    auto rfc_key = private_key_from_jwk(test::rfc_vector("a3").at("jwk").as_object()).value();
    std::vector<crypto::private_key> keys{rfc_key};
    for (key_type t : {key_type::ec256, key_type::ec384, key_type::rsa2048, key_type::rsa3072}) {
        keys.push_back(crypto::generate_key(t).value());
    }
    for (const auto& key : keys) {
        CAPTURE(crypto::to_string(key.type()));
        auto s1 = sign_input(key, input);
        auto s2 = sign_input(key, input);
        REQUIRE(s1.has_value());
        REQUIRE(s2.has_value());
        if (!crypto::is_rsa(key.type())) {
            CHECK(s1->size() == (key.type() == key_type::ec256 ? 64u : 96u));
            CHECK(*s1 != *s2);
        }
        auto pub = key_from_jwk(public_jwk(key)).value();
        CHECK(verify_input(pub.get(), jws_alg(key.type()), input, *s1).has_value());
        CHECK(verify_input(pub.get(), jws_alg(key.type()), input, *s2).has_value());
        CHECK(verify_input(pub.get(), jws_alg(key.type()), input + "x", *s1).error() == errc::crypto_error);
    }
}
