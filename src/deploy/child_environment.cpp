// The environment of reload commands (contract in the header).
#include "certman/deploy/child_environment.hpp"

#include <algorithm>
#include <map>

namespace certman::deploy {

bool allowlisted_variable(std::string_view name) {
    static constexpr std::string_view kept[] = {"PATH", "LANG", "LANGUAGE", "TZ", "HOME", "USER", "LOGNAME", "SHELL",
                                                "TMPDIR"};
    if (std::find(std::begin(kept), std::end(kept), name) != std::end(kept)) return true;
    return name.size() > 3 && name.substr(0, 3) == "LC_";
}

bool valid_variable_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::vector<std::string> child_environment(const char* const* parent, const std::vector<std::string>& pass,
                                           const std::vector<std::string>& set) {
    std::map<std::string, std::string, std::less<>> env;
    for (auto p = parent; p && *p; ++p) {
        std::string_view entry(*p);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        auto name = entry.substr(0, eq);
        bool wanted = allowlisted_variable(name) || std::find(pass.begin(), pass.end(), name) != pass.end();
        if (wanted && valid_variable_name(name)) env.insert_or_assign(std::string(name), std::string(entry.substr(eq + 1)));
    }
    if (!env.contains("PATH")) env["PATH"] = default_child_path;
    for (const auto& entry : set) {
        auto eq = entry.find('=');
        if (eq == std::string::npos || !valid_variable_name(std::string_view(entry).substr(0, eq))) continue;
        env.insert_or_assign(entry.substr(0, eq), entry.substr(eq + 1));
    }
    std::vector<std::string> out;
    out.reserve(env.size());
    for (const auto& [name, value] : env) out.push_back(name + "=" + value);
    return out;
}

}  // namespace certman::deploy
