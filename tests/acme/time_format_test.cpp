#include <doctest/doctest.h>
#include "certman/acme/time_format.hpp"

using certman::acme::timestamp;
using certman::acme::parse_retry_after;
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
        {"99999999999999999999999", std::nullopt},
    };
    for (const auto& r : rows) {
        CAPTURE(r.header);
        CHECK(parse_retry_after(r.header, now) == r.want);
    }
}
