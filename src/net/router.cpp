#include "certman/net/router.hpp"
#include "certman/core/base64url.hpp"

namespace certman::net {
namespace {
constexpr std::string_view challenge_prefix = "/.well-known/acme-challenge/";
constexpr std::string_view well_known_page = "It works! certman answers ACME HTTP-01 challenges here.\n";

bool is_get_or_head(std::string_view m) noexcept { return m == "GET" || m == "HEAD"; }
}  // namespace

std::string_view to_string(route_id r) noexcept {
    switch (r) {
    case route_id::health: return "health";
    case route_id::challenge: return "challenge";
    case route_id::well_known: return "well_known";
    case route_id::not_found: return "not_found";
    case route_id::method_not_allowed: return "method_not_allowed";
    case route_id::metrics: return "metrics";
    case route_id::status: return "status";
    case route_id::bad_request: return "bad_request";
    case route_id::too_large: return "too_large";
    case route_id::headers_too_large: return "headers_too_large";
    case route_id::not_implemented: return "not_implemented";
    case route_id::count_: break;
    }
    return "unknown";
}

std::string_view target_path(std::string_view target) noexcept {
    auto q = target.find_first_of("?#");
    return q == std::string_view::npos ? target : target.substr(0, q);
}

response_spec fixed_response(route_id r) {
    response_spec s;
    s.route = r;
    switch (r) {
    case route_id::health: s.body = "OK"; break;
    case route_id::well_known: s.body = std::string(well_known_page); break;
    case route_id::method_not_allowed: s.status = 405; s.body = "method not allowed\n"; s.allow = "GET, HEAD"; break;
    case route_id::bad_request: s.status = 400; s.body = "bad request\n"; break;
    case route_id::too_large: s.status = 413; s.body = "request body too large\n"; break;
    case route_id::headers_too_large: s.status = 431; s.body = "request header fields too large\n"; break;
    case route_id::not_implemented: s.status = 501; s.body = "transfer coding not implemented\n"; break;
    default: s.status = 404; s.body = "not found\n"; s.route = route_id::not_found; break;
    }
    return s;
}

response_spec route_public(std::string_view method, std::string_view target, const challenge_store& challenges) {
    const std::string_view path = target_path(target);
    route_id known = route_id::not_found;
    if (path == "/health") known = route_id::health;
    else if (path == "/.well-known/" || path == "/.well-known") known = route_id::well_known;
    else if (path.substr(0, challenge_prefix.size()) == challenge_prefix) known = route_id::challenge;
    if (known == route_id::not_found) return fixed_response(route_id::not_found);
    if (!is_get_or_head(method)) return fixed_response(route_id::method_not_allowed);
    if (known != route_id::challenge) return fixed_response(known);

    auto token = challenge_token(path);
    if (!token) return fixed_response(route_id::not_found);
    auto key_auth = challenges.find(*token);
    if (!key_auth) return fixed_response(route_id::not_found);
    return challenge_response(*key_auth);
}

std::optional<std::string_view> challenge_token(std::string_view target) noexcept {
    const std::string_view path = target_path(target);
    if (path.substr(0, challenge_prefix.size()) != challenge_prefix) return std::nullopt;
    const std::string_view token = path.substr(challenge_prefix.size());
    if (!is_base64url_token(token)) return std::nullopt;
    return token;
}

response_spec challenge_response(std::string_view key_authorization) {
    response_spec s;
    s.route = route_id::challenge;
    s.content_type = "text/plain";
    s.body = std::string(key_authorization);
    return s;
}
}  // namespace certman::net
