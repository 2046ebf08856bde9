#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "rfc_vectors.hpp"

using namespace certman;
using namespace certman::jose;
using crypto::key_type;

TEST_CASE("public_jwk: members, order and sizes for each key type") {
    struct row { key_type type; const char* members; std::size_t coordinate; };
    const row rows[] = {
        {key_type::ec256, "crv,kty,x,y", 32},
        {key_type::ec384, "crv,kty,x,y", 48},
        {key_type::rsa2048, "e,kty,n", 0},
    };
    for (const auto& r : rows) {
        CAPTURE(crypto::to_string(r.type));
        auto key = crypto::generate_key(r.type).value();
        auto jwk = public_jwk(key);
        std::string names;
        for (const auto& kv : jwk) names += (names.empty() ? "" : ",") + std::string(kv.key());
        CHECK(names == r.members);
        if (r.coordinate != 0) {
            CHECK(jwk.at("kty") == "EC");
            CHECK(jwk.at("crv") == (r.coordinate == 32 ? "P-256" : "P-384"));
            CHECK(base64url_decode(jwk.at("x").as_string()).value().size() == r.coordinate);
            CHECK(base64url_decode(jwk.at("y").as_string()).value().size() == r.coordinate);
        } else {
            CHECK(jwk.at("e") == "AQAB");
            auto n = base64url_decode(jwk.at("n").as_string()).value();
            CHECK(n.size() == 256);
            CHECK(n[0] != '\0');  // minimal encoding
        }
        // The JWK names the same key: importing it gives a key equal to the original's public half.
        auto back = key_from_jwk(jwk);
        REQUIRE(back.has_value());
        CHECK(EVP_PKEY_eq(back->get(), key.native()) == 1);
    }
}

TEST_CASE("public_jwk: the RFC 7515 A.2 and A.3 keys give back the RFC's public members") {
    for (const char* v : {"a2", "a3"}) {
        CAPTURE(v);
        const auto& jwk = test::rfc_vector(v).at("jwk").as_object();
        auto key = private_key_from_jwk(jwk);
        REQUIRE(key.has_value());
        auto pub = public_jwk(*key);
        const auto expected = test::public_members(jwk);
        CHECK(pub.size() == expected.size());
        for (const auto& kv : expected) {
            CAPTURE(std::string(kv.key()));
            CHECK(pub.at(kv.key()) == kv.value());
        }
    }
}

TEST_CASE("key_from_jwk: malformed JWKs") {
    const auto& a3 = test::rfc_vector("a3").at("jwk").as_object();
    struct row { const char* what; boost::json::object jwk; errc expected; };
    auto with = [&](const char* member, boost::json::value v) {
        boost::json::object o = a3;
        if (v.is_null()) o.erase(member);
        else o[member] = v;
        return o;
    };
    const row rows[] = {
        {"no kty", with("kty", nullptr), errc::invalid_argument},
        {"kty OKP", with("kty", "OKP"), errc::unsupported},
        {"crv P-521", with("crv", "P-521"), errc::unsupported},
        {"short x", with("x", "AAAA"), errc::invalid_argument},
        {"x not base64url", with("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvR+EU"), errc::invalid_argument},
        {"y a number", with("y", 5), errc::invalid_argument},
        {"RSA without n", boost::json::object{{"kty", "RSA"}, {"e", "AQAB"}}, errc::invalid_argument},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(key_from_jwk(r.jwk).error() == r.expected);
    }
    CHECK(private_key_from_jwk(test::public_members(a3)).error() == errc::invalid_argument);
}
