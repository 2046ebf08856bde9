#include "certman/core/digits.hpp"

namespace certman {
namespace {
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
}  // namespace

std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t n) noexcept {
    if (n == 0 || n > 9 || pos > text.size() || text.size() - pos < n) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[pos + i];
        if (!is_digit(c)) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

std::optional<std::int64_t> read_digits_saturating(std::string_view text, std::int64_t cap) noexcept {
    if (text.empty() || cap < 0) return std::nullopt;
    std::int64_t v = 0;
    for (const char c : text) {
        if (!is_digit(c)) return std::nullopt;
        // v <= cap throughout; v <= cap / 10 keeps v * 10 from overflowing before it is compared.
        const int d = c - '0';
        v = (v > cap / 10 || v * 10 > cap - d) ? cap : v * 10 + d;
    }
    return v;
}

}  // namespace certman
