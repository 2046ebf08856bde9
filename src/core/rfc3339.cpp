#include "certman/core/rfc3339.hpp"
#include "certman/core/digits.hpp"
#include <algorithm>
#include <cstdio>
#include <optional>

namespace certman {
namespace {
using namespace std::chrono;

// A left-to-right reader over the text; every step either consumes what it expects or fails.
struct cursor {
    std::string_view text;
    std::size_t pos = 0;

    // Exactly n ASCII digits (core/digits).
    std::optional<int> digits(std::size_t n) { return read_digits(text, pos, n); }

    bool skip(char a, char b = '\0') {
        if (pos >= text.size() || (text[pos] != a && (b == '\0' || text[pos] != b))) return false;
        ++pos;
        return true;
    }
};

// time-secfrac = "." 1*DIGIT, the leading "." already consumed; digits past the sixth are read and dropped.
std::optional<microseconds> fraction(cursor& c) {
    const std::size_t first = c.pos;
    long long us = 0;
    int kept = 0;
    for (; c.pos < c.text.size() && c.text[c.pos] >= '0' && c.text[c.pos] <= '9'; ++c.pos) {
        if (kept < 6) {
            us = us * 10 + (c.text[c.pos] - '0');
            ++kept;
        }
    }
    if (c.pos == first) return std::nullopt;
    for (; kept < 6; ++kept) us *= 10;
    return microseconds{us};
}

// time-offset = "Z" / ("+" / "-") time-hour ":" time-minute, as the amount to subtract from local time.
std::optional<minutes> offset(cursor& c) {
    if (c.skip('Z', 'z')) return minutes{0};
    const bool plus = c.skip('+');
    if (!plus && !c.skip('-')) return std::nullopt;
    const auto hh = c.digits(2);
    if (!hh || !c.skip(':')) return std::nullopt;
    const auto mm = c.digits(2);
    if (!mm || *hh > 23 || *mm > 59) return std::nullopt;
    const minutes off = hours{*hh} + minutes{*mm};
    return plus ? off : -off;
}
}  // namespace

result<sys_microseconds> parse_rfc3339_us(std::string_view text) {
    cursor c{text};
    const auto y = c.digits(4);
    const bool d1 = c.skip('-');
    const auto mo = c.digits(2);
    const bool d2 = c.skip('-');
    const auto d = c.digits(2);
    const bool t = c.skip('T', 't');
    const auto h = c.digits(2);
    const bool c1 = c.skip(':');
    const auto mi = c.digits(2);
    const bool c2 = c.skip(':');
    const auto s = c.digits(2);
    if (!y || !d1 || !mo || !d2 || !d || !t || !h || !c1 || !mi || !c2 || !s) return errc::parse_error;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return errc::parse_error;

    microseconds frac{0};
    if (c.skip('.')) {
        const auto f = fraction(c);
        if (!f) return errc::parse_error;
        frac = *f;
    }
    const auto off = offset(c);
    if (!off || c.pos != text.size()) return errc::parse_error;

    // §5.7 leap second: read as :59 so the instant stays in its own minute.
    const seconds time_of_day = hours{*h} + minutes{*mi} + seconds{std::min(*s, 59)};
    return sys_days{date} + time_of_day + frac - *off;
}

result<sys_seconds> parse_rfc3339(std::string_view text) {
    const auto t = parse_rfc3339_us(text);
    if (!t) return t.error();
    return floor<seconds>(*t);
}

std::string format_rfc3339(sys_seconds t) {
    constexpr sys_seconds lowest = sys_days{year{0} / January / 1};
    constexpr sys_seconds highest = sys_days{year{9999} / December / 31} + hours{23} + minutes{59} + seconds{59};
    t = std::clamp(t, lowest, highest);
    const auto day_start = floor<days>(t);
    const year_month_day date{day_start};
    const hh_mm_ss<seconds> tod{t - day_start};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()));
    return buf;
}

}  // namespace certman
