// The DNS TXT codec against messages written out by hand from RFC 1035 §4.1 (header, question, RRs) and §3.3.14
// (TXT RDATA).
#include <doctest/doctest.h>

#include "certman/core/errc.hpp"
#include "certman/net/dns_message.hpp"

using namespace certman::net;
using certman::errc;
using namespace std::string_literals;

namespace {

// Header (id 0xBEEF, flags, counts), then the question "_acme-challenge.x.test" TXT IN, as bytes.
const std::string question = "\x0f_acme-challenge\x01x\x04test\x00"s + "\x00\x10\x00\x01"s;

std::string response(std::string flags, std::string ancount, std::string answers) {
    return "\xbe\xef"s + flags + "\x00\x01"s + ancount + "\x00\x00\x00\x00"s + question + answers;
}

// Owner = pointer to offset 12 (the question name), TXT IN, TTL 600, RDATA = the strings.
std::string txt_rr(const std::string& rdata) {
    return "\xc0\x0c\x00\x10\x00\x01\x00\x00\x02\x58"s + std::string(1, '\0') +
           std::string(1, static_cast<char>(rdata.size())) + rdata;
}

}  // namespace

TEST_CASE("dns: TXT query bytes") {
    const auto q = encode_txt_query(0xBEEF, "_acme-challenge.x.test.");
    REQUIRE(q.has_value());
    CHECK(*q == "\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"s + question);
    CHECK(*encode_txt_query(0xBEEF, "_acme-challenge.x.test") == *q);
    CHECK(encode_txt_query(1, "a..b").error() == errc::invalid_argument);
    CHECK(encode_txt_query(1, std::string(64, 'a') + ".test").error() == errc::invalid_argument);
    CHECK(encode_txt_query(1, std::string(63, 'a') + ".test").has_value());
    std::string long_name;  // 4 x 63-byte labels: 4 * 64 + 1 = 257 > 255
    for (int i = 0; i < 4; ++i) long_name += std::string(63, 'a') + ".";
    CHECK(encode_txt_query(1, long_name).error() == errc::invalid_argument);
}

TEST_CASE("dns: TXT answers, two records, one with two strings; CNAME skipped") {
    const std::string cname = "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x02\xc0\x0c"s;
    const auto msg = response("\x81\x80"s, "\x00\x03"s, cname + txt_rr("\x03" "abc") + txt_rr("\x02" "de\x01" "f"));
    const auto a = decode_txt_response(msg, 0xBEEF, "_ACME-challenge.x.test.");
    REQUIRE(a.has_value());
    CHECK(a->rcode == 0);
    CHECK_FALSE(a->truncated);
    CHECK(a->values == std::vector<std::string>{"abc", "def"});
}

TEST_CASE("dns: NXDOMAIN, truncation") {
    const auto nx = decode_txt_response(response("\x81\x83"s, "\x00\x00"s, ""), 0xBEEF, "_acme-challenge.x.test");
    REQUIRE(nx.has_value());
    CHECK(nx->rcode == 3);
    CHECK(nx->values.empty());
    const auto tc = decode_txt_response(response("\x83\x80"s, "\x00\x01"s, ""), 0xBEEF, "_acme-challenge.x.test");
    REQUIRE(tc.has_value());
    CHECK(tc->truncated);
}

TEST_CASE("dns: refuses other answers and malformed ones") {
    const std::string name = "_acme-challenge.x.test";
    const auto ok = response("\x81\x80"s, "\x00\x01"s, txt_rr("\x03" "abc"));
    CHECK(decode_txt_response(ok, 0xBEEE, name).error() == errc::protocol_error);       // id
    CHECK(decode_txt_response(ok, 0xBEEF, "_acme-challenge.y.test").error() == errc::protocol_error);
    auto query = ok;
    query[2] = '\x01';  // QR = 0
    CHECK(decode_txt_response(query, 0xBEEF, name).error() == errc::protocol_error);
    for (std::size_t cut = 0; cut < ok.size(); ++cut) {
        CAPTURE(cut);
        CHECK_FALSE(decode_txt_response(ok.substr(0, cut), 0xBEEF, name).has_value());
    }
    // A TXT string length beyond its RDATA.
    CHECK(decode_txt_response(response("\x81\x80"s, "\x00\x01"s, txt_rr("\x05" "abc")), 0xBEEF, name).error() ==
          errc::parse_error);
    // A label length with the reserved 01/10 prefix.
    auto bad_label = ok;
    bad_label[12] = '\x4f';
    CHECK(decode_txt_response(bad_label, 0xBEEF, name).error() == errc::parse_error);
}
