// DNS-01 names and values (RFC 8555 §8.4).
#include <doctest/doctest.h>

#include "certman/acme/dns01.hpp"

using namespace certman::acme;

TEST_CASE("dns01: record name, wildcards validated at the base name") {
    CHECK(dns01_record_name("www.example.test") == "_acme-challenge.www.example.test");
    CHECK(dns01_record_name("*.example.test") == "_acme-challenge.example.test");
    CHECK(dns01_record_name("example.test.") == "_acme-challenge.example.test");
}

TEST_CASE("dns01: TXT value = base64url(SHA-256(key authorization)), 43 characters") {
    // The token and thumbprint of RFC 8555 §8.3/§8.4's examples; digest computed independently (Python hashlib).
    const auto v = dns01_txt_value("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ");
    REQUIRE(v);
    CHECK(v->size() == 43);
    CHECK(*v == "NGwKoXBgCT8JhEa0bK7AwfSqHyu_ZWeugV07fLGIVq0");
}
