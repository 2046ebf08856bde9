#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>
#include "certman/core/base64url.hpp"
#include "certman/crypto/digest.hpp"
#include "certman/jose/eab.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/jws.hpp"
#include "rfc_vectors.hpp"

using namespace certman;
using namespace certman::jose;

namespace {
std::string flattened(const std::string& protected_b64, const std::string& payload_b64, const std::string& sig) {
    return boost::json::serialize(
        boost::json::object{{"protected", protected_b64}, {"payload", payload_b64}, {"signature", sig}});
}
}  // namespace

TEST_CASE("HS256: RFC 7515 A.1, byte for byte, and verify_hs256") {
    const std::string key = base64url_decode(test::rfc_string("a1", "k")).value();
    const std::string input = test::rfc_signing_input("a1");
    CHECK(base64url_encode(crypto::hmac_sha256(key, input).value()) == test::rfc_string("a1", "signature"));

    const std::string payload_b64(test::rfc_vectors().at("payload_b64").as_string());
    auto jws = parse_jws(flattened(test::rfc_string("a1", "protected_b64"), payload_b64,
                                   test::rfc_string("a1", "signature")));
    REQUIRE(jws.has_value());
    CHECK(jws->header.at("alg") == "HS256");
    CHECK(verify_hs256(*jws, key).has_value());
    CHECK(verify_hs256(*jws, key.substr(1)).error() == errc::crypto_error);
    jws->signature[0] = static_cast<char>(jws->signature[0] ^ 1);
    CHECK(verify_hs256(*jws, key).error() == errc::crypto_error);
}

TEST_CASE("eab_jws: RFC 8555 §7.3.4 structure, byte for byte") {
    // The MAC below was computed independently (Python hmac) over the same inputs.
    const std::string mac_key = test::rfc_string("a1", "k");
    const boost::json::object account_jwk{{"crv", "P-256"}, {"kty", "EC"},
                                          {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                          {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
    auto eab = eab_jws("kid-1", mac_key, account_jwk, "https://ca.test/acme/new-account");
    REQUIRE(eab.has_value());
    CHECK(eab->size() == 3);
    CHECK(eab->at("protected") ==
          "eyJhbGciOiJIUzI1NiIsImtpZCI6ImtpZC0xIiwidXJsIjoiaHR0cHM6Ly9jYS50ZXN0L2FjbWUvbmV3LWFjY291bnQifQ");
    CHECK(base64url_decode(eab->at("protected").as_string()).value() ==
          R"({"alg":"HS256","kid":"kid-1","url":"https://ca.test/acme/new-account"})");
    CHECK(base64url_decode(eab->at("payload").as_string()).value() == boost::json::serialize(account_jwk));
    CHECK(eab->at("signature") == "6NKAdtgKXUwi3nw6A60Qrp05iUv0QoeIQWjmFGu1iRQ");

    auto parsed = parse_jws(boost::json::serialize(*eab));
    REQUIRE(parsed.has_value());
    CHECK(verify_hs256(*parsed, base64url_decode(mac_key).value()).has_value());
}

TEST_CASE("eab_jws: bad arguments") {
    const auto jwk = public_jwk(crypto::generate_key(crypto::key_type::ec256).value());
    const std::string url = "https://ca.test/acme/new-account";
    CHECK(eab_jws("", "AAAA", jwk, url).error() == errc::invalid_argument);
    CHECK(eab_jws("kid", "", jwk, url).error() == errc::invalid_argument);
    CHECK(eab_jws("kid", "AA+/", jwk, url).error() == errc::invalid_argument);
    CHECK(eab_jws("kid", "AAAA", jwk, "").error() == errc::invalid_argument);
}

TEST_CASE("verify_hs256 refuses other algorithms") {
    auto key = crypto::generate_key(crypto::key_type::ec256).value();
    auto signed_jws = sign_jws(key, {"https://ca.test/x", std::nullopt, std::nullopt}, "{}").value();
    CHECK(verify_hs256(parse_jws(signed_jws).value(), "secret").error() == errc::unsupported);
}
