#include <doctest/doctest.h>
#include "certman/jose/ecdsa_signature.hpp"

using namespace certman;
using namespace certman::jose;

namespace {

// DER INTEGER of a big-endian magnitude: minimal, with a 0x00 prefix when the top bit is set (X.690 §8.3).
std::string der_integer(std::string magnitude) {
    while (magnitude.size() > 1 && magnitude[0] == '\0') magnitude.erase(0, 1);
    if (static_cast<unsigned char>(magnitude[0]) & 0x80) magnitude.insert(0, 1, '\0');
    return std::string{'\x02', static_cast<char>(magnitude.size())} + magnitude;
}

std::string der_signature(const std::string& r, const std::string& s) {
    std::string body = der_integer(r) + der_integer(s);
    return std::string{'\x30', static_cast<char>(body.size())} + body;  // all cases here are < 128 bytes
}

std::string bytes(std::size_t n, unsigned char first, unsigned char fill) {
    std::string out(n, static_cast<char>(fill));
    out[0] = static_cast<char>(first);
    return out;
}

std::string left_pad(const std::string& v, std::size_t n) { return std::string(n - v.size(), '\0') + v; }

}  // namespace

TEST_CASE("ECDSA DER <-> R||S: table") {
    struct row { const char* what; std::string r; std::string s; std::size_t size; std::string expected_der_prefix; };
    const row rows[] = {
        {"full-size r with top bit set (DER adds 0x00)", bytes(32, 0x80, 0x11), bytes(32, 0x7f, 0x22), 32,
         std::string("\x30\x45\x02\x21\x00\x80", 6)},
        {"short r (31 bytes) and one-byte s need padding", bytes(31, 0x7f, 0x11), std::string(1, '\x05'), 32,
         std::string("\x30\x24\x02\x1f\x7f", 5)},
        {"r with leading zero byte is shortened in DER", bytes(32, 0x00, 0x33), bytes(32, 0x01, 0x44), 32,
         std::string("\x30\x43\x02\x1f\x33", 5)},
        {"P-384 sizes", bytes(48, 0xff, 0x55), bytes(48, 0x01, 0x66), 48, std::string("\x30\x65\x02\x31\x00\xff", 6)},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        const std::string der = der_signature(r.r, r.s);
        CHECK(der.starts_with(r.expected_der_prefix));
        const std::string jose = left_pad(r.r, r.size) + left_pad(r.s, r.size);
        auto converted = ecdsa_der_to_jose(der, r.size);
        REQUIRE(converted.has_value());
        CHECK(*converted == jose);
        CHECK(ecdsa_jose_to_der(jose).value() == der);
    }
}

TEST_CASE("ECDSA DER -> R||S: errors") {
    const std::string p384 = der_signature(bytes(48, 0xff, 0x55), bytes(48, 0x01, 0x66));
    const std::string p256 = der_signature(bytes(32, 0x10, 0x55), bytes(32, 0x01, 0x66));
    CHECK(ecdsa_der_to_jose(p384, 32).error() == errc::invalid_argument);  // r does not fit in 32 bytes
    CHECK(ecdsa_der_to_jose(p256 + "x", 32).error() == errc::invalid_argument);
    CHECK(ecdsa_der_to_jose(p256.substr(0, p256.size() - 1), 32).error() == errc::invalid_argument);
    CHECK(ecdsa_der_to_jose("", 32).error() == errc::invalid_argument);
    CHECK(ecdsa_jose_to_der("").error() == errc::invalid_argument);
    CHECK(ecdsa_jose_to_der("abc").error() == errc::invalid_argument);
}
