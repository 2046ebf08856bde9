#include <doctest/doctest.h>
#include "certman/crypto/hex.hpp"

using namespace certman::crypto;

TEST_CASE("to_hex: two lowercase digits per byte") {
    CHECK(to_hex("") == "");
    CHECK(to_hex(std::string("\x00\x0f\xa0\xff", 4)) == "000fa0ff");
}

TEST_CASE("normalize_fingerprint: colons, spaces and case do not matter") {
    struct row { const char* in; const char* out; };
    const row rows[] = {
        {"6D:2D:73:AA", "6d2d73aa"},
        {"6d 2d 73 aa", "6d2d73aa"},
        {"6d2d73aa", "6d2d73aa"},
        {" 6D:2d:73:Aa\n", "6d2d73aa"},
        {"", ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(normalize_fingerprint(r.in) == r.out);
    }
}
