#include "certman/policy/rfc3339.hpp"
#include <algorithm>
#include <cstdio>
#include <optional>

namespace certman::policy {
namespace {
using namespace std::chrono;

// Reads exactly n ASCII digits at text[pos..pos+n).
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t n) {
    if (pos + n > text.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

bool at(std::string_view text, std::size_t pos, char a, char b = '\0') {
    return pos < text.size() && (text[pos] == a || (b != '\0' && text[pos] == b));
}

// The offset part after the seconds: "Z" or "+hh:mm"/"-hh:mm", returned as the amount to subtract
// from local time to get UTC. Must consume the rest of the text.
std::optional<seconds> parse_offset(std::string_view rest) {
    if (rest == "Z" || rest == "z") return seconds{0};
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return std::nullopt;
    const auto hh = digits(rest, 1, 2);
    const auto mm = digits(rest, 4, 2);
    if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
    const seconds off = hours{*hh} + minutes{*mm};
    return rest[0] == '+' ? off : -off;
}
}  // namespace

result<sys_seconds> parse_rfc3339(std::string_view text) {
    const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
    const auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
    if (!y || !mo || !d || !h || !mi || !s || !at(text, 4, '-') || !at(text, 7, '-') || !at(text, 10, 'T', 't') ||
        !at(text, 13, ':') || !at(text, 16, ':'))
        return errc::parse_error;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return errc::parse_error;

    std::size_t pos = 19;
    if (at(text, pos, '.')) {  // time-secfrac = "." 1*DIGIT; precision beyond seconds is not kept
        const std::size_t first = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == first) return errc::parse_error;
    }
    const auto offset = parse_offset(text.substr(pos));
    if (!offset) return errc::parse_error;

    const seconds time_of_day = hours{*h} + minutes{*mi} + seconds{std::min(*s, 59)};
    return sys_days{date} + time_of_day - *offset;
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

}  // namespace certman::policy
