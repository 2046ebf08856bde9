#include <doctest/doctest.h>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/thumbprint.hpp"
#include "rfc_vectors.hpp"

using namespace certman;
using namespace certman::jose;

TEST_CASE("jwk_thumbprint: RFC 7638 §3.1 example (optional members ignored)") {
    const auto& v = test::rfc_vector("rfc7638");
    const auto& jwk = v.at("jwk").as_object();
    CHECK(jwk.contains("kid"));
    CHECK(jwk_thumbprint(jwk).value() == v.at("thumbprint").as_string());
    CHECK(jwk_thumbprint(test::public_members(jwk)).value() == v.at("thumbprint").as_string());
}

TEST_CASE("jwk_thumbprint: a key and its public JWK agree, member order in the input does not matter") {
    for (auto t : {crypto::key_type::ec256, crypto::key_type::ec384, crypto::key_type::rsa2048}) {
        CAPTURE(crypto::to_string(t));
        auto key = crypto::generate_key(t).value();
        auto jwk = public_jwk(key);
        boost::json::object reversed;
        for (auto it = jwk.end(); it != jwk.begin();) {
            --it;
            reversed[it->key()] = it->value();
        }
        reversed["use"] = "sig";
        const std::string t1 = jwk_thumbprint(key);
        CHECK(t1 == jwk_thumbprint(reversed).value());
        CHECK(base64url_decode(t1).value().size() == 32);
    }
}

TEST_CASE("jwk_thumbprint: bad JWKs") {
    CHECK(jwk_thumbprint(boost::json::object{{"kty", "oct"}, {"k", "AAAA"}}).error() == errc::unsupported);
    CHECK(jwk_thumbprint(boost::json::object{{"kty", "RSA"}, {"n", "AAAA"}}).error() == errc::invalid_argument);
    CHECK(jwk_thumbprint(boost::json::object{{"crv", "P-256"}}).error() == errc::invalid_argument);
}
