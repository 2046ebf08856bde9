#include <doctest/doctest.h>
#include "certman/policy/rfc3339.hpp"

using namespace certman::policy;
using namespace std::chrono;

TEST_CASE("parse_rfc3339: accepted forms, pinned against calendar arithmetic") {
    constexpr sys_seconds base = sys_days{2025y / January / 2} + hours{4};  // 2025-01-02T04:00:00Z
    struct row { const char* text; sys_seconds want; };
    const row rows[] = {
        {"2025-01-02T04:00:00Z", base},
        {"2025-01-02t04:00:00z", base},
        {"2025-01-02T04:00:00.999999Z", base},          // fraction dropped, not rounded up
        {"2025-01-02T06:30:00+02:30", base},
        {"2025-01-01T23:00:00-05:00", base},
        {"2025-01-02T04:00:00.5+00:00", base},
        {"2025-01-02T03:59:60Z", base - seconds{1}},     // leap second read as :59
        {"1970-01-01T00:00:00Z", sys_seconds{}},
        {"2024-02-29T12:00:00Z", sys_days{2024y / February / 29} + hours{12}},
        {"9999-12-31T23:59:59Z", sys_days{9999y / December / 31} + hours{23} + minutes{59} + seconds{59}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        const auto got = parse_rfc3339(r.text);
        REQUIRE(got.has_value());
        CHECK(*got == r.want);
    }
}

TEST_CASE("parse_rfc3339: malformed text is a parse_error") {
    const char* rows[] = {
        "",
        "2025-01-02",                  // date only
        "2025-01-02T04:00:00",         // no offset
        "2025-01-02 04:00:00Z",        // space instead of T
        "2025-01-02T04:00Z",           // no seconds
        "2025-1-02T04:00:00Z",
        "2025-01-02T04:00:00.Z",       // empty fraction
        "2025-01-02T04:00:00+0200",    // offset without colon
        "2025-01-02T04:00:00+24:00",
        "2025-01-02T04:00:00Zjunk",
        "2025-02-30T04:00:00Z",        // no such day
        "2025-13-01T04:00:00Z",
        "2025-01-02T24:00:00Z",
        "2025-01-02T04:60:00Z",
        "2025-01-02T04:00:61Z",
        "+025-01-02T04:00:00Z",
    };
    for (const char* text : rows) {
        CAPTURE(text);
        const auto got = parse_rfc3339(text);
        REQUIRE(got.has_error());
        CHECK(got.error() == certman::errc::parse_error);
    }
}

TEST_CASE("format_rfc3339: fixed shape, round trip, clamped range") {
    struct row { sys_seconds t; const char* want; };
    const row rows[] = {
        {sys_seconds{}, "1970-01-01T00:00:00Z"},
        {sys_days{2026y / December / 30} + hours{10}, "2026-12-30T10:00:00Z"},
        {sys_days{2024y / February / 29} + hours{23} + minutes{59} + seconds{59}, "2024-02-29T23:59:59Z"},
        {sys_seconds{seconds{-1}}, "1969-12-31T23:59:59Z"},
        {sys_seconds::max(), "9999-12-31T23:59:59Z"},
        {sys_seconds::min(), "0000-01-01T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.want);
        CHECK(format_rfc3339(r.t) == r.want);
        CHECK(format_rfc3339(parse_rfc3339(r.want).value()) == r.want);
    }
}
