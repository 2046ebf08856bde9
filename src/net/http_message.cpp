#include "certman/net/http_message.hpp"

namespace certman::net {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::optional<std::string_view> http_response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

std::vector<std::string_view> http_response::headers_named(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) out.emplace_back(v);
    return out;
}
}  // namespace certman::net
