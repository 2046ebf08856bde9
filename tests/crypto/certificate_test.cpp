#include <doctest/doctest.h>
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/hex.hpp"
#include "certman/crypto/pem.hpp"
#include "fixture_file.hpp"

using namespace certman;
using namespace certman::crypto;
using namespace std::chrono;

// Expected values read with the openssl CLI (see tests/fixtures/crypto/make_fixtures.sh):
//   openssl x509 -in leaf.pem -noout -subject -issuer -serial -fingerprint -sha1 -dates -ext ...
TEST_CASE("inspect_certificate: the fixture leaf, from PEM and from DER") {
    const std::string inputs[] = {test::fixture_file("crypto/leaf.pem"), test::fixture_file("crypto/leaf.der")};
    for (const auto& input : inputs) {
        CAPTURE(input.size());
        auto facts = inspect_certificate(input);
        REQUIRE(facts.has_value());
        CHECK(facts->subject_cn == "www.example.test");
        CHECK(facts->issuer_cn == "Certman Test CA");
        CHECK(facts->issuer == "C = US, O = \"Certman Test, Inc.\", CN = Certman Test CA");
        CHECK(facts->dns_names == std::vector<std::string>{"www.example.test", "example.test"});
        CHECK(facts->ip_addresses == std::vector<std::string>{"192.0.2.7", "2001:db8::1"});
        CHECK(facts->serial_hex == "8badf00d0000000000000000000000ff");
        CHECK(to_hex(facts->serial_der) == "008badf00d0000000000000000000000ff");
        CHECK(to_hex(facts->authority_key_id) == normalize_fingerprint("91:93:23:8E:91:54:E6:03:F0:A4:71:C1:16:44:B2:E2:D4:A0:00:D5"));
        CHECK(facts->sha1_fingerprint == normalize_fingerprint("6D:2D:73:AA:E0:C4:BC:71:63:2C:2F:14:4C:FF:EC:E1:98:E5:A9:5B"));
        CHECK(facts->sha256_fingerprint ==
              normalize_fingerprint("E8:50:65:AB:48:51:64:8F:2C:07:65:0F:88:8F:14:12:DF:63:7E:79:F3:BC:61:D8:1A:C8:"
                                    "5A:AD:DB:48:BE:CC"));
        CHECK(facts->not_before == sys_seconds{seconds{1795844458}});  // 2026-11-28 05:40:58Z
        CHECK(facts->not_after == sys_seconds{seconds{1803620458}});   // 2027-02-26 05:40:58Z
        CHECK(facts->public_key_type == key_type::rsa2048);
        CHECK(facts->der == test::fixture_file("crypto/leaf.der"));
    }
}

TEST_CASE("inspect_certificate: the fixture CA has no AKI and a one-byte serial") {
    auto facts = inspect_certificate(test::fixture_file("crypto/ca.pem"));
    REQUIRE(facts.has_value());
    CHECK(facts->subject_cn == "Certman Test CA");
    CHECK(facts->serial_hex == "01");
    CHECK(to_hex(facts->serial_der) == "01");
    CHECK(facts->dns_names.empty());
    CHECK(facts->public_key_type == key_type::ec256);
    CHECK(facts->sha256_fingerprint == normalize_fingerprint("D0:D4:93:C4:6E:98:EC:B6:8A:54:4B:F7:69:C0:E7:13:40:84:"
                                                             "5D:E6:8A:CD:68:E6:96:8C:8C:B6:35:80:9D:2F"));
}

TEST_CASE("inspect_certificate: garbage is a parse error") {
    std::string der = test::fixture_file("crypto/leaf.der");
    for (const std::string& bad : {std::string(), std::string("not a cert"), der.substr(0, der.size() - 1), der + "x",
                                   std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}) {
        CAPTURE(bad.size());
        CHECK(inspect_certificate(bad).error() == errc::parse_error);
    }
}

TEST_CASE("split_pem_chain: leaf then issuer, each a canonical PEM block") {
    std::string chain = "junk before\n" + test::fixture_file("crypto/chain.pem") + "trailing\n";
    auto certs = split_pem_chain(chain);
    REQUIRE(certs.has_value());
    REQUIRE(certs->size() == 2);
    CHECK((*certs)[0] == test::fixture_file("crypto/leaf.pem"));
    CHECK((*certs)[1] == test::fixture_file("crypto/ca.pem"));
    CHECK(inspect_certificate((*certs)[1])->subject_cn == "Certman Test CA");
}

TEST_CASE("split_pem_chain: errors") {
    std::string leaf = test::fixture_file("crypto/leaf.pem");
    for (const std::string& bad : {std::string(), std::string("no pem here"), leaf.substr(0, leaf.size() - 10),
                                   std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}) {
        CAPTURE(bad.size());
        CHECK(split_pem_chain(bad).error() == errc::parse_error);
    }
}

TEST_CASE("key_matches_certificate: both ways") {
    auto leaf_key = private_key_from_pem(test::fixture_file("crypto/leaf.key")).value();
    auto ca_key = private_key_from_pem(test::fixture_file("crypto/ca.key")).value();
    const std::string leaf = test::fixture_file("crypto/leaf.pem");
    const std::string ca = test::fixture_file("crypto/ca.pem");
    CHECK(key_matches_certificate(leaf_key, leaf));
    CHECK(key_matches_certificate(leaf_key, test::fixture_file("crypto/leaf.der")));
    CHECK(key_matches_certificate(ca_key, ca));
    CHECK_FALSE(key_matches_certificate(leaf_key, ca));
    CHECK_FALSE(key_matches_certificate(ca_key, leaf));
    CHECK_FALSE(key_matches_certificate(generate_key(key_type::rsa2048).value(), leaf));
    CHECK_FALSE(key_matches_certificate(leaf_key, "garbage"));
}
