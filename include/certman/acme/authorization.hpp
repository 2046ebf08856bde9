// The ACME authorization and challenge resources (RFC 8555 §7.1.4, §7.1.5, §8). Pure.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"
#include "certman/acme/problem.hpp"
#include "certman/core/result.hpp"

namespace certman::acme {

struct challenge {
    std::string type;  // "http-01", "dns-01", "tls-alpn-01", ...
    std::string url;
    acme::status status = status::pending;  // pending, processing, valid, invalid
    std::string token;                      // §8.3; empty for challenge types without one
    std::optional<std::chrono::system_clock::time_point> validated;
    std::optional<problem> error;
};

struct authorization {
    acme::identifier identifier;  // never a wildcard: "*." is stripped and wildcard is set (§7.1.4)
    acme::status status = status::pending;  // pending, valid, invalid, deactivated, expired, revoked
    std::optional<std::chrono::system_clock::time_point> expires;
    std::vector<challenge> challenges;
    bool wildcard = false;
};

// Parses a challenge object (the body of a challenge response, §7.5.1). type, url and status are required.
// Errors → errc::parse_error, the failure's message names the field.
result<challenge> parse_challenge(std::string_view json);

// Parses an authorization object. identifier, status and challenges are required. Errors → errc::parse_error.
result<authorization> parse_authorization(std::string_view json);

// The challenge of the given type, or nullptr.
const challenge* find_challenge(const authorization& a, std::string_view type) noexcept;

}  // namespace certman::acme
