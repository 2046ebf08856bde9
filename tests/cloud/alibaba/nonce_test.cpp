// SignatureNonce UUIDs (RFC 9562 §5.4).
#include "certman/cloud/alibaba/nonce.hpp"

#include <doctest/doctest.h>

using namespace certman::cloud::alibaba;

TEST_CASE("uuid_v4_from_bytes sets version and variant and formats 8-4-4-4-12") {
    struct row {
        std::array<unsigned char, 16> bytes;
        const char* expected;
    };
    const row rows[] = {
        {{}, "00000000-0000-4000-8000-000000000000"},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
         "ffffffff-ffff-4fff-bfff-ffffffffffff"},
        {{0x3e, 0xe8, 0xc1, 0xb8, 0x83, 0xd3, 0x44, 0xaf, 0xa9, 0x4f, 0x4e, 0x0a, 0xd8, 0x2f, 0xd6, 0xcf},
         "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},  // the nonce of reference vector A is a v4 UUID
    };
    for (const auto& r : rows) {
        CAPTURE(r.expected);
        CHECK(uuid_v4_from_bytes(r.bytes) == r.expected);
    }
}
