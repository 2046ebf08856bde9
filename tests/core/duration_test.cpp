#include <doctest/doctest.h>
#include "certman/core/duration.hpp"

using namespace certman;
using std::chrono::seconds;

TEST_CASE("parse_duration accepts units and combinations") {
    struct row { const char* in; long long secs; };
    const row rows[] = {{"0", 0}, {"90", 90}, {"90s", 90}, {"15m", 900}, {"12h", 43200}, {"7d", 604800},
                        {"1w", 604800}, {"1h30m", 5400}, {"2d12h", 216000}};
    for (const auto& r : rows) {
        CAPTURE(r.in);
        auto d = parse_duration(r.in);
        REQUIRE(d.has_value());
        CHECK(d->count() == r.secs);
    }
}

TEST_CASE("parse_duration rejects junk") {
    for (const char* bad : {"", "h", "-5s", "5x", "1h30", "1.5h", " 5s", "99999999999999d"}) {
        CAPTURE(bad);
        CHECK(parse_duration(bad).has_error());
    }
}

TEST_CASE("format_duration") {
    CHECK(format_duration(seconds(0)) == "0s");
    CHECK(format_duration(seconds(5400)) == "1h30m");
    CHECK(format_duration(seconds(90061)) == "1d1h1m1s");
    CHECK(format_duration(seconds(-60)) == "-1m");
}
