#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/jws.hpp"
#include "certman/jose/signature.hpp"
#include "rfc_vectors.hpp"

using namespace certman;
using namespace certman::jose;
using crypto::key_type;

namespace {
std::vector<std::string> member_names(const boost::json::object& o) {
    std::vector<std::string> out;
    for (const auto& kv : o) out.emplace_back(kv.key());
    return out;
}
}  // namespace

TEST_CASE("sign_jws: kid form, exact protected header (RSA, deterministic)") {
    auto key = private_key_from_jwk(test::rfc_vector("a2").at("jwk").as_object()).value();
    jws_header h{"https://ca.test/acme/new-order", "nonce-1", "https://ca.test/acme/acct/7"};
    auto text = sign_jws(key, h, R"({"identifiers":[]})");
    REQUIRE(text.has_value());
    auto outer = boost::json::parse(*text).as_object();
    CHECK(member_names(outer) == std::vector<std::string>{"protected", "payload", "signature"});
    CHECK(base64url_decode(outer.at("protected").as_string()).value() ==
          R"({"alg":"RS256","kid":"https://ca.test/acme/acct/7","nonce":"nonce-1","url":"https://ca.test/acme/new-order"})");
    auto parsed = verify_jws(*text, test::public_members(test::rfc_vector("a2").at("jwk").as_object()));
    REQUIRE(parsed.has_value());
    CHECK(parsed->payload == R"({"identifiers":[]})");
    // RS256 is deterministic: the same request signs to the same bytes.
    CHECK(sign_jws(key, h, R"({"identifiers":[]})").value() == *text);
}

TEST_CASE("sign_jws: jwk form embeds the public JWK and no kid; verifies for every key type") {
    for (key_type t : {key_type::ec256, key_type::ec384, key_type::rsa2048}) {
        CAPTURE(crypto::to_string(t));
        auto key = crypto::generate_key(t).value();
        auto text = sign_jws(key, {"https://ca.test/acme/new-account", "n0", std::nullopt}, R"({"termsOfServiceAgreed":true})");
        REQUIRE(text.has_value());
        auto parsed = parse_jws(*text);
        REQUIRE(parsed.has_value());
        CHECK(member_names(parsed->header) == std::vector<std::string>{"alg", "jwk", "nonce", "url"});
        CHECK(parsed->header.at("alg").as_string() == jws_alg(t));
        CHECK(parsed->header.at("jwk").as_object() == public_jwk(key));
        CHECK(verify_jws(*parsed, parsed->header.at("jwk").as_object()).has_value());
        auto other = crypto::generate_key(t).value();
        CHECK(verify_jws(*parsed, public_jwk(other)).error() == errc::crypto_error);
    }
}

TEST_CASE("sign_jws: POST-as-GET has an empty payload; nonce is optional") {
    auto key = crypto::generate_key(key_type::ec256).value();
    auto text = sign_jws(key, {"https://ca.test/acme/order/1", std::nullopt, "https://ca.test/acme/acct/1"}, "");
    REQUIRE(text.has_value());
    CHECK(text->find(R"("payload":"")") != std::string::npos);
    auto parsed = verify_jws(*text, public_jwk(key));
    REQUIRE(parsed.has_value());
    CHECK(parsed->payload.empty());
    CHECK(member_names(parsed->header) == std::vector<std::string>{"alg", "kid", "url"});
    CHECK(sign_jws(key, {"", "n", std::nullopt}, "").error() == errc::invalid_argument);
}

TEST_CASE("verify_jws: a changed payload or header is rejected") {
    auto key = crypto::generate_key(key_type::ec256).value();
    auto text = sign_jws(key, {"https://ca.test/a", "n", std::nullopt}, "{}").value();
    auto outer = boost::json::parse(text).as_object();
    SUBCASE("payload") { outer["payload"] = base64url_encode("{\"x\":1}"); }
    SUBCASE("protected") {
        outer["protected"] = base64url_encode(boost::json::serialize(
            boost::json::object{{"alg", "ES256"}, {"jwk", public_jwk(key)}, {"nonce", "m"}, {"url", "https://ca.test/a"}}));
    }
    CHECK(verify_jws(boost::json::serialize(outer), public_jwk(key)).error() == errc::crypto_error);
}

TEST_CASE("parse_jws: malformed input") {
    const std::string ok_header = base64url_encode(R"({"alg":"ES256"})");
    struct row { const char* what; std::string text; };
    const row rows[] = {
        {"empty", ""},
        {"not an object", "[]"},
        {"no signature", R"({"protected":")" + ok_header + R"(","payload":""})"},
        {"payload not a string", R"({"protected":")" + ok_header + R"(","payload":1,"signature":""})"},
        {"unprotected header", R"({"protected":")" + ok_header + R"(","header":{},"payload":"","signature":""})"},
        {"protected not base64url", R"({"protected":"e+/","payload":"","signature":""})"},
        {"protected not JSON object", R"({"protected":")" + base64url_encode("[1]") + R"(","payload":"","signature":""})"},
        {"signature not base64url", R"({"protected":")" + ok_header + R"(","payload":"","signature":"a"})"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(parse_jws(r.text).error() == errc::parse_error);
    }
}
