#include <doctest/doctest.h>
#include "certman/acme/time_format.hpp"

using certman::acme::timestamp;
using certman::acme::parse_retry_after;
using certman::acme::parse_http_date;
using certman::acme::max_retry_after;
using namespace std::chrono;

namespace {
timestamp at(int y, unsigned m, unsigned d, int h, int mi, int s) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}
}  // namespace

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
    };
    for (const auto& r : rows) {
        CAPTURE(r.header);
        CHECK(parse_retry_after(r.header, now) == r.want);
    }
}

TEST_CASE("parse_retry_after: huge values saturate at max_retry_after, never overflow or go negative") {
    const timestamp now = at(2026, 12, 2, 16, 0, 0);
    const seconds cap = max_retry_after;
    CHECK(cap == seconds{4294967296});
    struct row { const char* header; std::optional<seconds> want; };
    const row rows[] = {
        {"8000000000", cap},                                   // 253 years
        {"4294967295", cap - seconds{1}},                      // just under the cap
        {"4294967296", cap},                                   // at the cap
        {"4294967297", cap},                                   // just over
        {"9223372036854775807", cap},                          // INT64_MAX
        {"9223372036854775808", cap},                          // INT64_MAX + 1: used to wrap negative
        {"99999999999999999999999", cap},                      // 23 digits
        {"000000000000000000000000000000007", seconds{7}},     // leading zeros are still delta-seconds
        {"12a", std::nullopt},
        {"Fri, 31 Dec 9999 23:59:59 GMT", cap},                // past timestamp's range (2262): still no wrap
        {"Fri, 11 Apr 2262 23:47:16 GMT", cap},
        {"Wed, 02 Dec 2026 16:00:01 GMT", seconds{1}},
        {"Mon, 01 Jan 0001 00:00:00 GMT", seconds{0}},         // far past: now
    };
    for (const auto& r : rows) {
        CAPTURE(r.header);
        CHECK(parse_retry_after(r.header, now) == r.want);
    }
    // A date is waited for up to its second, rounded up: never a poll before it.
    CHECK(parse_retry_after("Wed, 02 Dec 2026 16:00:01 GMT", now + std::chrono::milliseconds{500}) == seconds{1});
    CHECK(parse_retry_after("Wed, 02 Dec 2026 16:00:01 GMT", now + seconds{1}) == seconds{0});
}

TEST_CASE("parse_http_date: dates outside timestamp's range saturate") {
    CHECK(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == timestamp::max());
    CHECK(parse_http_date("Mon, 01 Jan 0001 00:00:00 GMT") == timestamp::min());
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == at(1994, 11, 6, 8, 49, 37));
}
