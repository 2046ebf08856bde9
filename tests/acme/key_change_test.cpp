#include "certman/acme/key_change.hpp"
#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/jws.hpp"
#include "../jose/rfc_vectors.hpp"

using namespace certman;

namespace {
// RFC 7515 A.2 (RSA, deterministic RS256) as the new key, A.3 (EC P-256) as the old one.
crypto::private_key rsa_a2() { return jose::private_key_from_jwk(test::rfc_vector("a2").at("jwk").as_object()).value(); }
crypto::private_key ec_a3() { return jose::private_key_from_jwk(test::rfc_vector("a3").at("jwk").as_object()).value(); }
}  // namespace

TEST_CASE("key_change_payload: RFC 8555 §7.3.5 inner JWS, byte for byte") {
    auto text = acme::key_change_payload(rsa_a2(), ec_a3(), "https://ca.test/acme/acct/1", "https://ca.test/acme/key-change");
    REQUIRE(text.has_value());
    auto outer = boost::json::parse(*text).as_object();
    const std::string n = std::string(test::rfc_vector("a2").at("jwk").as_object().at("n").as_string());
    // jwk (the NEW key), url, no nonce, no kid.
    CHECK(base64url_decode(outer.at("protected").as_string()).value() ==
          R"({"alg":"RS256","jwk":{"e":"AQAB","kty":"RSA","n":")" + n + R"("},"url":"https://ca.test/acme/key-change"})");
    // account, then the OLD key's public JWK.
    CHECK(base64url_decode(outer.at("payload").as_string()).value() ==
          R"({"account":"https://ca.test/acme/acct/1","oldKey":{"crv":"P-256","kty":"EC",)"
          R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}})");
    // Computed independently with Python's `cryptography` (PKCS#1 v1.5, SHA-256) over the same signing input.
    CHECK(outer.at("signature").as_string() ==
          "IetQQ5jwUYzS7KJa2cyCWnqe7wgXd2dMJTx9fJdsCtOY3MGzd2xGoUIdbQRdbJ2PU3sGT9aDF32x6q1qWIr27tQJBtyyDpJAe23nwTbG96HMH3h"
          "SN72XoUVNAsrzbPH_yKC9jboGjCX0XuFwZm6g08RW2QWL_QCgbAsf4sph4kqIlqY-tUGCJ0eGaT6HyWx7HWWqGREpL1E0ltVNdqd0yQ0BaRe8M"
          "-XZwIOYz5zn7EihDSKujgIAJAEp3nXmWQlI9gclTJtSbOi9I8cTMRpW0z9-LJmpcfi85HroOtA-iJe-rSYJQWJDpol1zjEVadi_Cfxqhg6Fw3Lu"
          "qpPVCnmTlA");
}

TEST_CASE("key_change_payload: verifies with the new key's embedded JWK, not with the old key") {
    auto old_key = crypto::generate_key(crypto::key_type::ec256).value();
    auto new_key = crypto::generate_key(crypto::key_type::ec384).value();
    auto text = acme::key_change_payload(new_key, old_key, "https://ca.test/acct/9", "https://ca.test/kc").value();
    auto parsed = jose::parse_jws(text).value();
    CHECK(parsed.header.at("jwk").as_object() == jose::public_jwk(new_key));
    CHECK(!parsed.header.contains("nonce"));
    CHECK(jose::verify_jws(parsed, jose::public_jwk(new_key)).has_value());
    CHECK(!jose::verify_jws(parsed, jose::public_jwk(old_key)).has_value());
    CHECK(boost::json::parse(parsed.payload).as_object().at("oldKey").as_object() == jose::public_jwk(old_key));
}

TEST_CASE("key_change_payload: refuses empty URLs and an unchanged key") {
    auto k = crypto::generate_key(crypto::key_type::ec256).value();
    auto other = crypto::generate_key(crypto::key_type::ec256).value();
    CHECK(acme::key_change_payload(other, k, "", "https://ca.test/kc").error() == errc::invalid_argument);
    CHECK(acme::key_change_payload(other, k, "https://ca.test/acct/1", "").error() == errc::invalid_argument);
    CHECK(acme::key_change_payload(k, k, "https://ca.test/acct/1", "https://ca.test/kc").error() == errc::invalid_argument);
}
