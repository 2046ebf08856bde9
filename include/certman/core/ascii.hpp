// ASCII text helpers for protocol names and values (header names, DNS names, ACME identifiers, link relations):
// locale-independent, bytes outside A-Z untouched. Pure.
#pragma once
#include <string>
#include <string_view>

namespace certman {

// A copy with A-Z lowered to a-z.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Without leading and trailing spaces and tabs (RFC 9110 §5.6.3 OWS).
inline std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace certman
