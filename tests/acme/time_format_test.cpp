#include <doctest/doctest.h>
#include "certman/acme/time_format.hpp"

using certman::acme::timestamp;
using certman::acme::parse_rfc3339;
using certman::acme::parse_retry_after;
using namespace std::chrono;

namespace {
timestamp at(int y, unsigned m, unsigned d, int h, int mi, int s) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}
}  // namespace

TEST_CASE("parse_rfc3339: accepted forms") {
    struct row { const char* text; timestamp want; };
    const row rows[] = {
        {"2016-01-20T14:09:07Z", at(2016, 1, 20, 14, 9, 7)},
        {"2016-01-20t14:09:07z", at(2016, 1, 20, 14, 9, 7)},
        {"2016-01-20T14:09:07.99Z", at(2016, 1, 20, 14, 9, 7) + milliseconds{990}},
        {"2016-01-20T14:09:07.123456789Z", at(2016, 1, 20, 14, 9, 7) + microseconds{123456}},
        {"2016-01-20T15:09:07+01:00", at(2016, 1, 20, 14, 9, 7)},
        {"2016-01-20T13:39:07-00:30", at(2016, 1, 20, 14, 9, 7)},
        {"2024-02-29T00:00:00Z", at(2024, 2, 29, 0, 0, 0)},
        {"1970-01-01T00:00:00Z", timestamp{}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        const auto t = parse_rfc3339(r.text);
        REQUIRE(t);
        CHECK(*t == r.want);
    }
}

TEST_CASE("parse_rfc3339: rejected forms") {
    const char* rows[] = {"", "2016-01-20", "2016-01-20T14:09:07", "2016-01-20 14:09:07Z", "2023-02-29T00:00:00Z",
                          "2016-13-01T00:00:00Z", "2016-01-20T24:00:00Z", "2016-01-20T14:09:07.Z",
                          "2016-01-20T14:09:07+0100", "2016-01-20T14:09:07Zjunk", "16-01-20T14:09:07Z"};
    for (const char* text : rows) {
        CAPTURE(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
}

TEST_CASE("parse_retry_after: delta-seconds and HTTP-date (RFC 9110 §10.2.3)") {
    const timestamp now = at(1994, 11, 6, 8, 49, 0);
    struct row { const char* header; std::optional<seconds> want; };
    const row rows[] = {
        {"120", seconds{120}},
        {" 3 ", seconds{3}},
        {"0", seconds{0}},
        {"Sun, 06 Nov 1994 08:49:37 GMT", seconds{37}},
        {"Sun, 06 Nov 1994 08:48:00 GMT", seconds{0}},  // in the past: retry now
        {"Mon, 07 Nov 1994 08:49:00 GMT", seconds{86400}},
        {"", std::nullopt},
        {"-5", std::nullopt},
        {"1.5", std::nullopt},
        {"soon", std::nullopt},
        {"Sunday, 06-Nov-94 08:49:37 GMT", std::nullopt},  // obsolete RFC 850 form
        {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
        {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
        {"99999999999999999999999", std::nullopt},
    };
    for (const auto& r : rows) {
        CAPTURE(r.header);
        CHECK(parse_retry_after(r.header, now) == r.want);
    }
}
