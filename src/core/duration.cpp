#include "certman/core/duration.hpp"
#include <cstdint>

namespace certman {

result<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.empty()) return errc::invalid_argument;
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::int64_t n = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            n = n * 10 + (text[i] - '0');
            if (n > 100'000'000'000LL) return errc::invalid_argument;
            ++i;
            ++digits;
        }
        if (digits == 0) return errc::invalid_argument;
        std::int64_t unit = 1;
        if (i < text.size()) {
            switch (text[i]) {
            case 's': unit = 1; break;
            case 'm': unit = 60; break;
            case 'h': unit = 3600; break;
            case 'd': unit = 86400; break;
            case 'w': unit = 7 * 86400; break;
            default: return errc::invalid_argument;
            }
            ++i;
        } else if (total != 0) {
            return errc::invalid_argument;  // "1h30" is ambiguous
        }
        total += n * unit;
        if (total > 100'000'000'000LL) return errc::invalid_argument;
    }
    return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds d) {
    std::int64_t s = d.count();
    if (s == 0) return "0s";
    std::string out;
    if (s < 0) { out = "-"; s = -s; }
    const std::pair<std::int64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    for (auto [size, name] : units) {
        if (s >= size) {
            out += std::to_string(s / size);
            out += name;
            s %= size;
        }
    }
    return out;
}
}  // namespace certman
