#include "certman/acme/identifier.hpp"
#include <array>

namespace certman::acme {
namespace {
constexpr std::array<std::string_view, 8> status_names{"pending", "ready",   "processing",  "valid",
                                                       "invalid", "expired", "deactivated", "revoked"};
}

std::string join_values(const std::vector<identifier>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) out += ", ";
        out += id.value;
    }
    return out;
}

std::optional<status> parse_status(std::string_view text) noexcept {
    for (std::size_t i = 0; i < status_names.size(); ++i)
        if (status_names[i] == text) return static_cast<status>(i);
    return std::nullopt;
}

std::string_view to_string(status s) noexcept {
    const auto i = static_cast<std::size_t>(s);
    return i < status_names.size() ? status_names[i] : "unknown";
}

}  // namespace certman::acme
