#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include "certman/policy/ari.hpp"
#include "certman/core/rfc3339.hpp"
#include "at_time.hpp"

using namespace certman::policy;
using certman::format_rfc3339;
using namespace std::chrono;

namespace {
std::string fixture(const std::string& name) {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/ari/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing fixture " << name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
using certman::test::at;
std::string bytes(std::initializer_list<unsigned char> b) { return std::string(b.begin(), b.end()); }
}  // namespace

TEST_CASE("ari_cert_id: RFC 9773 §4.1 example and serial normalization") {
    // AKI keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4 (RFC 9773 §4.1).
    const std::string aki = bytes({0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3, 0x7B, 0x84, 0x7B, 0xA0,
                                   0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4});
    struct row { const char* what; std::string serial; const char* want; };
    const row rows[] = {
        {"RFC example, DER content 00:87:65:43:21", bytes({0x00, 0x87, 0x65, 0x43, 0x21}),
         "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
        {"same serial as bare magnitude (BN_bn2bin)", bytes({0x87, 0x65, 0x43, 0x21}),
         "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
        {"redundant leading zeros dropped", bytes({0x00, 0x00, 0x00, 0x87, 0x65, 0x43, 0x21}),
         "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"},
        {"top bit clear: no zero added", bytes({0x12, 0x34}), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.EjQ"},
        {"zero", bytes({0x00}), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AA"},
        {"empty read as zero", std::string(), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AA"},
        {"URL alphabet, no padding", bytes({0x7b, 0xff, 0xbf}), "aYhba4dGQEHhs3uEe6CuLN4ByNQ.e_-_"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(ari_cert_id(aki, r.serial) == r.want);
    }
}

TEST_CASE("parse_renewal_info: well-formed fixtures") {
    const sys_seconds now = at("2026-02-20T12:00:00Z");
    struct row { const char* file; const char* start; const char* end; const char* url; };
    const row rows[] = {
        {"rfc9773_example.json", "2025-01-02T04:00:00Z", "2025-01-03T04:00:00Z", "https://acme.example.com/docs/ari"},
        {"ordinary_90_day.json", "2026-03-01T17:21:34Z", "2026-03-03T17:21:34Z", ""},
        {"revoked_renew_now.json", "2026-01-14T22:00:00Z", "2026-01-14T22:30:00Z",
         "https://community.example.org/t/incident-2026-01-14-mass-revocation"},
        {"fraction_and_offset.json", "2026-03-01T17:21:34Z", "2026-03-03T17:21:34Z", ""},
        {"extra_members.json", "2026-03-01T17:21:34Z", "2026-03-03T17:21:34Z", "https://acme.example.com/docs/ari"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.file);
        const auto got = parse_renewal_info(fixture(r.file), std::nullopt, now);
        REQUIRE(got.has_value());
        CHECK(format_rfc3339(got->start) == r.start);
        CHECK(format_rfc3339(got->end) == r.end);
        CHECK(got->explanation_url == r.url);
        CHECK(got->next_poll == now + hours{6});
    }
}

TEST_CASE("parse_renewal_info: malformed documents are parse_error, with the reason for the log") {
    struct row { const char* file; const char* why; };
    const row rows[] = {
        {"bad_end_before_start.json", "suggestedWindow end is not after start"},
        {"bad_empty_window.json", "suggestedWindow end is not after start"},
        {"bad_missing_window.json", "no suggestedWindow object"},
        {"bad_missing_end.json", "suggestedWindow.end is missing or not an RFC 3339 time"},
        {"bad_start_number.json", "suggestedWindow.start is missing or not an RFC 3339 time"},
        {"bad_time_text.json", "suggestedWindow.start is missing or not an RFC 3339 time"},
        {"bad_explanation_type.json", "explanationURL is not a string"},
        {"bad_truncated.json", "not JSON"},
        {"bad_array.json", "not a JSON object"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.file);
        const auto got = parse_renewal_info(fixture(r.file), hours{1}, at("2026-02-20T12:00:00Z"));
        REQUIRE(got.has_error());
        CHECK(got.error() == certman::errc::parse_error);
        CHECK(got.error().message() == r.why);
    }
    CHECK(parse_renewal_info("", std::nullopt, sys_seconds{}).has_error());
    CHECK(parse_renewal_info("null", std::nullopt, sys_seconds{}).has_error());
    CHECK(parse_renewal_info(R"({"suggestedWindow": []})", std::nullopt, sys_seconds{}).has_error());
    REQUIRE(parse_renewal_info(fixture("ordinary_90_day.json"), std::nullopt, sys_seconds{}).has_value());
}

TEST_CASE("parse_renewal_info / ari_next_poll: Retry-After clamped to [1 h, 12 h], 6 h by default") {
    const sys_seconds now = at("2026-02-20T12:00:00Z");
    struct row { std::optional<seconds> retry_after; seconds want; };
    const row rows[] = {
        {std::nullopt, hours{6}},  {seconds{0}, hours{1}},     {seconds{-30}, hours{1}},
        {minutes{5}, hours{1}},    {hours{1}, hours{1}},       {hours{3} + minutes{7}, hours{3} + minutes{7}},
        {hours{12}, hours{12}},    {hours{13}, hours{12}},     {days{30}, hours{12}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.retry_after.value_or(seconds{-1}).count());
        CHECK(ari_next_poll(r.retry_after, now) == now + r.want);
        const auto got = parse_renewal_info(fixture("ordinary_90_day.json"), r.retry_after, now);
        REQUIRE(got.has_value());
        CHECK(got->next_poll == now + r.want);
    }
}
