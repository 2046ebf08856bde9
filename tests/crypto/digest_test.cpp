#include <doctest/doctest.h>
#include "certman/crypto/digest.hpp"
#include "certman/crypto/hex.hpp"

using namespace certman;
using namespace certman::crypto;

TEST_CASE("digest: FIPS 180 examples") {
    struct row { const char* in; const char* sha1; const char* sha256; };
    const row rows[] = {
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(to_hex(sha1(r.in).value()) == r.sha1);
        CHECK(to_hex(sha256(r.in).value()) == r.sha256);
    }
}

TEST_CASE("hmac: RFC 2202 and RFC 4231 test cases 1 and 2") {
    struct row { std::string key; const char* data; const char* sha1; const char* sha256; };
    const row rows[] = {
        {std::string(20, '\x0b'), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.data);
        CHECK(to_hex(hmac_sha1(r.key, r.data).value()) == r.sha1);
        CHECK(to_hex(hmac_sha256(r.key, r.data).value()) == r.sha256);
    }
}

TEST_CASE("hmac: an empty key is allowed") {
    auto mac = hmac_sha256("", "data");
    REQUIRE(mac.has_value());
    CHECK(mac->size() == 32);
    CHECK(*mac != hmac_sha256("k", "data").value());
}
