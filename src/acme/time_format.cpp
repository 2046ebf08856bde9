#include "certman/acme/time_format.hpp"
#include "certman/core/digits.hpp"
#include <array>
#include <algorithm>
#include <cstdint>

namespace certman::acme {
namespace {
using namespace std::chrono;

bool expect(std::string_view s, std::size_t& pos, char c) noexcept {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

std::optional<sys_seconds> make_time(int y, int mo, int d, int h, int mi, int sec) noexcept {
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    // IMF-fixdate allows second 60 (RFC 9110 §5.6.7); it is folded into the next second's start, as POSIX does.
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

// The IMF-fixdate in whole seconds: years 0000-9999 all fit, unlike system_clock's nanoseconds (year 2262).
std::optional<sys_seconds> parse_http_date_seconds(std::string_view s) noexcept {
    // IMF-fixdate = day-name "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"
    static constexpr std::array<std::string_view, 7> day_names{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s.size() != 29) return std::nullopt;
    bool day_ok = false;
    for (auto n : day_names) day_ok = day_ok || s.substr(0, 3) == n;
    if (!day_ok || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s.substr(25) != " GMT")
        return std::nullopt;
    int mo = 0;
    for (std::size_t i = 0; i < month_names.size(); ++i)
        if (s.substr(8, 3) == month_names[i]) mo = static_cast<int>(i) + 1;
    std::size_t p = 5;
    const auto d = read_digits(s, p, 2);
    p = 12;
    const auto y = read_digits(s, p, 4);
    p = 17;
    const auto h = read_digits(s, p, 2);
    const bool c1 = expect(s, p, ':');
    const auto mi = read_digits(s, p, 2);
    const bool c2 = expect(s, p, ':');
    const auto sec = read_digits(s, p, 2);
    if (mo == 0 || !d || !y || !h || !c1 || !mi || !c2 || !sec) return std::nullopt;
    return make_time(*y, mo, *d, *h, *mi, *sec);
}

// Whole seconds of the wall clock, rounded down, computed without converting anything to nanoseconds.
sys_seconds floor_seconds(timestamp t) noexcept { return floor<seconds>(t); }
}  // namespace

std::optional<timestamp> parse_http_date(std::string_view s) noexcept {
    const auto at = parse_http_date_seconds(s);
    if (!at) return std::nullopt;
    // Dates outside what timestamp holds (years 1677-2262) saturate instead of wrapping around.
    constexpr auto latest = floor<seconds>(timestamp::max());
    constexpr auto earliest = ceil<seconds>(timestamp::min());
    if (*at >= latest) return timestamp::max();
    if (*at <= earliest) return timestamp::min();
    return timestamp{*at};
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view header, timestamp now) noexcept {
    while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
    while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
    if (header.empty()) return std::nullopt;
    if (header.front() >= '0' && header.front() <= '9') {
        // delta-seconds = 1*DIGIT, any length: saturates at the longest wait instead of failing on overflow.
        const auto v = read_digits_saturating(header, max_retry_after.count());
        if (!v) return std::nullopt;
        return seconds{*v};
    }
    const auto at = parse_http_date_seconds(header);
    if (!at) return std::nullopt;
    // In whole seconds, so that no year 0000-9999 overflows (the span is ~3.2e11 s); the wait is rounded up,
    // never ending before the date.
    const sys_seconds from = floor_seconds(now);
    if (*at <= from) return seconds{0};
    return std::min(*at - from, max_retry_after);
}

}  // namespace certman::acme
