#include <doctest/doctest.h>
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/self_signed.hpp"

using namespace certman;
using namespace certman::crypto;
using namespace std::chrono;

TEST_CASE("make_self_signed: names, validity and key are what was asked") {
    const sys_seconds from = sys_days{year{2030} / 1 / 2} + hours{3};
    for (key_type t : {key_type::ec256, key_type::rsa2048}) {
        CAPTURE(to_string(t));
        auto key = generate_key(t).value();
        auto pem = make_self_signed(key, {"localhost", "127.0.0.1", "::1"}, from, days{30});
        REQUIRE(pem.has_value());
        auto facts = inspect_certificate(*pem);
        REQUIRE(facts.has_value());
        CHECK(facts->subject_cn == "localhost");
        CHECK(facts->issuer_cn == "localhost");
        CHECK(facts->dns_names == std::vector<std::string>{"localhost"});
        CHECK(facts->ip_addresses == std::vector<std::string>{"127.0.0.1", "::1"});
        CHECK(facts->not_before == from);
        CHECK(facts->not_after == from + days{30});
        CHECK(facts->public_key_type == t);
        CHECK(facts->serial_der.size() == 16);
        CHECK(key_matches_certificate(key, *pem));
        // Same inputs, same certificate serial: nothing random beyond the signature.
        CHECK(inspect_certificate(make_self_signed(key, {"localhost", "127.0.0.1", "::1"}, from, days{30}).value())
                  ->serial_hex == facts->serial_hex);
    }
}

TEST_CASE("make_self_signed: bad arguments") {
    auto key = generate_key(key_type::ec256).value();
    const sys_seconds from = sys_days{year{2030} / 1 / 1};
    CHECK(make_self_signed(key, {}, from, days{1}).error() == errc::invalid_argument);
    CHECK(make_self_signed(key, {"a b"}, from, days{1}).error() == errc::invalid_argument);
    CHECK(make_self_signed(key, {"x.example"}, from, seconds{0}).error() == errc::invalid_argument);
}
