#include <doctest/doctest.h>
#include "certman/core/rfc3339.hpp"

using namespace certman;
using namespace std::chrono;

namespace {
sys_seconds at(int y, unsigned m, unsigned d, int h, int mi, int s) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}
}  // namespace

TEST_CASE("parse_rfc3339_us: accepted forms, pinned against calendar arithmetic") {
    const sys_seconds base = at(2016, 1, 20, 14, 9, 7);
    struct row { const char* text; sys_microseconds want; };
    const row rows[] = {
        {"2016-01-20T14:09:07Z", base},
        {"2016-01-20t14:09:07z", base},                                       // §5.6 NOTE: lower case
        {"2016-01-20T14:09:07.99Z", base + milliseconds{990}},                 // Let's Encrypt style
        {"2016-01-20T14:09:07.5Z", base + milliseconds{500}},
        {"2016-01-20T14:09:07.000001Z", base + microseconds{1}},
        {"2016-01-20T14:09:07.123456789Z", base + microseconds{123456}},       // Pebble (Go) nanoseconds: truncated
        {"2016-01-20T14:09:07.9999999999999999999999Z", base + microseconds{999999}},  // never rounded up
        {"2016-01-20T15:09:07+01:00", base},
        {"2016-01-20T13:39:07-00:30", base},
        {"2016-01-20T14:09:07-00:00", base},                                   // §4.3 unknown offset = UTC
        {"2016-01-20T14:09:07+00:00", base},
        {"2016-01-21T13:59:07+23:50", base},
        {"2016-01-20T07:09:07.25-07:00", base + milliseconds{250}},           // fraction and offset
        {"2016-01-20T14:09:60Z", base + seconds{52}},                          // leap second read as :59
        {"2016-12-31T23:59:60Z", at(2016, 12, 31, 23, 59, 59)},               // the real one stays in 2016
        {"2016-12-31T23:59:60.5Z", at(2016, 12, 31, 23, 59, 59) + milliseconds{500}},
        {"2024-02-29T00:00:00Z", at(2024, 2, 29, 0, 0, 0)},                   // leap year
        {"2000-02-29T00:00:00Z", at(2000, 2, 29, 0, 0, 0)},                   // divisible by 400
        {"1970-01-01T00:00:00Z", sys_seconds{}},
        {"1969-12-31T23:59:59.5Z", sys_seconds{} - milliseconds{500}},
        {"0000-01-01T00:00:00Z", at(0, 1, 1, 0, 0, 0)},                       // year bounds
        {"9999-12-31T23:59:59Z", at(9999, 12, 31, 23, 59, 59)},
        {"9999-12-31T23:59:59-01:00", at(10000, 1, 1, 0, 59, 59)},            // offsets may leave the range
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        const auto got = parse_rfc3339_us(r.text);
        REQUIRE(got.has_value());
        CHECK(*got == r.want);
        // The second-precision form is the same instant with the fraction dropped toward the past.
        const auto secs = parse_rfc3339(r.text);
        REQUIRE(secs.has_value());
        CHECK(*secs == floor<seconds>(r.want));
    }
}

TEST_CASE("parse_rfc3339: malformed text is a parse_error") {
    const char* rows[] = {
        "",
        "2016-01-20",                          // date only
        "2016-01-20T14:09:07",                 // no offset
        "2016-01-20T14:09Z",                   // no seconds
        "2016-01-20 14:09:07Z",                // space separator (§5.6 NOTE) not accepted
        "2016-01-20_14:09:07Z",
        " 2016-01-20T14:09:07Z",               // surrounding whitespace
        "2016-01-20T14:09:07Z ",
        "2016-01-20T14:09:07Zjunk",
        "2016-01-20T14:09:07ZZ",
        "2016-01-20T14:09:07.Z",               // empty fraction
        "2016-01-20T14:09:07,5Z",              // ISO 8601 comma fraction
        "2016-01-20T14:09:07.5",               // fraction, no offset
        "2016-01-20T14:09:07+0100",            // offset without colon
        "2016-01-20T14:09:07+01",
        "2016-01-20T14:09:07+01:0",
        "2016-01-20T14:09:07+24:00",           // offset hour out of range
        "2016-01-20T14:09:07+01:60",
        "2016-01-20T14:09:07 +01:00",
        "2016-01-20T14:09:07UTC",
        "2016-01-20T14:09:07z+01:00",
        "2023-02-29T00:00:00Z",                // not a leap year
        "1900-02-29T00:00:00Z",                // divisible by 100, not 400
        "2016-02-30T00:00:00Z",
        "2016-04-31T00:00:00Z",
        "2016-00-01T00:00:00Z",
        "2016-01-00T00:00:00Z",
        "2016-13-01T00:00:00Z",
        "2016-01-20T24:00:00Z",                // hour 24
        "2016-01-20T14:60:07Z",
        "2016-01-20T14:09:61Z",
        "16-01-20T14:09:07Z",                  // two-digit year
        "+016-01-20T14:09:07Z",                // signed year
        "-016-01-20T14:09:07Z",
        "10000-01-01T00:00:00Z",               // five-digit year
        "2016-1-20T14:09:07Z",
        "2016-01-2T14:09:07Z",
        "2016-01-20T4:09:07Z",
        "2016/01/20T14:09:07Z",
        "2016-0a-20T14:09:07Z",
        "2016-01-20T14:09:07.5a5Z",
    };
    for (const char* text : rows) {
        CAPTURE(text);
        const auto us = parse_rfc3339_us(text);
        REQUIRE(us.has_error());
        CHECK(us.error() == errc::parse_error);
        const auto secs = parse_rfc3339(text);
        REQUIRE(secs.has_error());
        CHECK(secs.error() == errc::parse_error);
    }
}

TEST_CASE("parse_rfc3339: an embedded NUL is not the end of the text") {
    using namespace std::string_view_literals;
    CHECK(parse_rfc3339("2016-01-20T14:09:07Z\0"sv).has_error());
    CHECK(parse_rfc3339("2016-01-20T14:09:07\0Z"sv).has_error());
}

TEST_CASE("format_rfc3339: fixed shape, clamped range, round trip") {
    struct row { sys_seconds t; const char* want; };
    const row rows[] = {
        {sys_seconds{}, "1970-01-01T00:00:00Z"},
        {at(2026, 12, 30, 10, 0, 0), "2026-12-30T10:00:00Z"},
        {at(2024, 2, 29, 23, 59, 59), "2024-02-29T23:59:59Z"},
        {at(2038, 1, 19, 3, 14, 8), "2038-01-19T03:14:08Z"},                 // past 32-bit time_t
        {sys_seconds{seconds{-1}}, "1969-12-31T23:59:59Z"},
        {at(1, 1, 1, 0, 0, 0), "0001-01-01T00:00:00Z"},                       // zero-padded year
        {at(0, 1, 1, 0, 0, 0), "0000-01-01T00:00:00Z"},
        {at(9999, 12, 31, 23, 59, 59), "9999-12-31T23:59:59Z"},
        {at(0, 1, 1, 0, 0, 0) - seconds{1}, "0000-01-01T00:00:00Z"},          // clamped
        {at(10000, 1, 1, 0, 0, 0), "9999-12-31T23:59:59Z"},
        {sys_seconds::max(), "9999-12-31T23:59:59Z"},
        {sys_seconds::min(), "0000-01-01T00:00:00Z"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.want);
        const auto text = format_rfc3339(r.t);
        CHECK(text == r.want);
        CHECK(text.size() == 20);
        const auto back = parse_rfc3339(text);
        REQUIRE(back.has_value());
        CHECK(format_rfc3339(*back) == r.want);
        CHECK(parse_rfc3339_us(text).value() == *back);
    }
}

TEST_CASE("format_rfc3339 then parse_rfc3339 is the identity inside the range") {
    // A spread of instants, including ones on either side of the epoch and at day and year edges.
    const sys_seconds rows[] = {at(1970, 1, 1, 0, 0, 1), at(1999, 12, 31, 23, 59, 59), at(2000, 1, 1, 0, 0, 0),
                                at(2025, 3, 1, 10, 11, 16), at(1900, 3, 1, 0, 0, 0), at(4321, 6, 15, 12, 34, 56),
                                at(0, 2, 29, 12, 0, 0)};
    for (const auto t : rows) {
        CAPTURE(t.time_since_epoch().count());
        CHECK(parse_rfc3339(format_rfc3339(t)).value() == t);
    }
}
