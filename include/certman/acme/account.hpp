// The ACME account resource (RFC 8555 §7.1.2) as returned by newAccount and account URLs. Pure.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"
#include "certman/core/result.hpp"

namespace certman::acme {

struct account {
    acme::status status = status::valid;  // valid, deactivated or revoked
    std::vector<std::string> contact;     // "mailto:..." URLs
    std::optional<bool> terms_of_service_agreed;
    std::optional<std::string> orders;  // required by §7.1.2 but omitted by Boulder: optional here
};

// Parses an account object. "status" is required; wrong types → errc::parse_error, the failure's message
// names the field.
// The account URL (the "kid" for later requests) is the response's Location header, not part of the body.
result<account> parse_account(std::string_view json);

}  // namespace certman::acme
