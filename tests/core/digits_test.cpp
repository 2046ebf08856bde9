#include "certman/core/digits.hpp"
#include <doctest/doctest.h>
#include <limits>
#include <string>

using certman::read_digits;
using certman::read_digits_saturating;

TEST_CASE("read_digits: exactly n digits, pos advanced only on success") {
    struct row {
        std::string text;
        std::size_t pos, n;
        std::optional<int> want;
        std::size_t pos_after;
    };
    const row rows[] = {
        {"2026-12-02", 0, 4, 2026, 4},
        {"2026-12-02", 5, 2, 12, 7},
        {"2026-12-02", 8, 2, 2, 10},        // ends exactly at the end of the text
        {"2026-12-02", 9, 2, std::nullopt, 9},  // one character short
        {"2026-12-02", 10, 1, std::nullopt, 10},
        {"2026-12-02", 11, 1, std::nullopt, 11},  // pos past the end
        {"2026-12-02", 2, 3, std::nullopt, 2},   // "26-": a non-digit inside
        {"0000", 0, 4, 0, 4},
        {"999999999", 0, 9, 999'999'999, 9},  // the largest n
        {"9999999999", 0, 10, std::nullopt, 0},  // n over 9 could overflow an int: refused
        {"12", 0, 0, std::nullopt, 0},
        {"+1", 0, 2, std::nullopt, 0},  // no sign
        {" 1", 0, 2, std::nullopt, 0},  // no whitespace
        {"1/", 0, 2, std::nullopt, 0},  // '/' and ':' border '0'..'9' in ASCII
        {"1:", 0, 2, std::nullopt, 0},
        {"\xd9\xa1", 0, 2, std::nullopt, 0},  // ARABIC-INDIC DIGIT ONE is not a digit here
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        CAPTURE(r.pos);
        CAPTURE(r.n);
        std::size_t pos = r.pos;
        CHECK(read_digits(r.text, pos, r.n) == r.want);
        CHECK(pos == r.pos_after);
    }
}

TEST_CASE("read_digits_saturating: 1*DIGIT of any length, capped") {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    CHECK(read_digits_saturating("0", 10) == 0);
    CHECK(read_digits_saturating("120", 1000) == 120);
    CHECK(read_digits_saturating("0007", 1000) == 7);  // leading zeros are digits
    CHECK(read_digits_saturating("1000", 1000) == 1000);  // at the cap
    CHECK(read_digits_saturating("1001", 1000) == 1000);  // one over
    CHECK(read_digits_saturating("99999999999999999999999999", 1000) == 1000);
    CHECK(read_digits_saturating("9223372036854775807", max) == max);
    CHECK(read_digits_saturating("9223372036854775808", max) == max);  // would overflow: saturates
    CHECK(read_digits_saturating("99999999999999999999", max) == max);
    CHECK(read_digits_saturating("5", 0) == 0);
    CHECK_FALSE(read_digits_saturating("", 10));
    CHECK_FALSE(read_digits_saturating("12a", 1000));
    CHECK_FALSE(read_digits_saturating("-1", 1000));
    CHECK_FALSE(read_digits_saturating(" 1", 1000));
    CHECK_FALSE(read_digits_saturating("1", -1));
}
