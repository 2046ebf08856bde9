// The ACME order resource (RFC 8555 §7.1.3), plus "profile" (draft-aaron-acme-profiles) and "replaces"
// (RFC 9773 §5). Pure.
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

struct order {
    acme::status status = status::pending;  // pending, ready, processing, valid, invalid
    std::optional<std::chrono::system_clock::time_point> expires;
    std::vector<identifier> identifiers;
    std::vector<std::string> authorizations;  // authorization URLs
    std::string finalize;                     // finalize URL
    std::optional<std::string> certificate;   // present once valid
    std::optional<problem> error;             // why the order became invalid
    std::optional<std::string> profile;
    std::optional<std::string> replaces;
};

// Parses an order object. status, identifiers, authorizations and finalize are required; wrong types, an unknown
// status or a bad timestamp → errc::parse_error, the failure's message names the field.
result<order> parse_order(std::string_view json);

}  // namespace certman::acme
