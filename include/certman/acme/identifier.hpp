// Values shared by every ACME resource (RFC 8555 §7.1): the identifier an order or authorization is about, and
// the status strings of §7.1.6. Pure; the JSON readers that use them live next to each resource.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certman::acme {

// RFC 8555 §9.7.7: "dns" for host names (including "*.example.org" in orders), RFC 8738: "ip".
struct identifier {
    std::string type;
    std::string value;

    static identifier dns(std::string value) { return {"dns", std::move(value)}; }
    static identifier ip(std::string value) { return {"ip", std::move(value)}; }
    friend bool operator==(const identifier&, const identifier&) = default;
};

// Joins identifier values with ", " for messages ("a.example, b.example").
std::string join_values(const std::vector<identifier>& ids);

// Every status of RFC 8555 §7.1.6 (accounts, orders, authorizations, challenges share one vocabulary).
enum class status { pending, ready, processing, valid, invalid, expired, deactivated, revoked };

// "pending" → status::pending ...; an unknown string → nullopt.
std::optional<status> parse_status(std::string_view text) noexcept;
// The RFC's spelling of s.
std::string_view to_string(status s) noexcept;

}  // namespace certman::acme
