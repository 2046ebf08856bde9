// The public port's request handler as a pure function (STYLE.md: "the request handler is a plain function
// from request to response"). It faces the load balancer, so it serves only:
//   GET|HEAD /health                          → 200 text/plain "OK" (the load balancer's health check)
//   GET|HEAD /.well-known/acme-challenge/<t>  → 200 key authorization, or 404 (t must be base64url)
//   GET|HEAD /.well-known/                    → 200 a fixed short page (the old nginx probe)
//   known path, other method                  → 405 with Allow: GET, HEAD
//   anything else                             → 404
// The query string is ignored. Nothing is ever read from disk: a token is only a map key.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include "certman/net/challenge_store.hpp"

namespace certman::net {

enum class route_id { health, challenge, well_known, not_found, method_not_allowed, metrics, status, bad_request,
                      too_large, headers_too_large, not_implemented, count_ };

std::string_view to_string(route_id r) noexcept;

struct response_spec {
    unsigned status = 200;
    std::string_view content_type = "text/plain; charset=utf-8";
    std::string body;
    std::string_view allow;  // non-empty for 405
    route_id route = route_id::not_found;
};

response_spec route_public(std::string_view method, std::string_view target, const challenge_store& challenges);

// The path part of a request target: "/a/b?x=1" → "/a/b".
std::string_view target_path(std::string_view target) noexcept;

// The token of a well-formed challenge URL ("/.well-known/acme-challenge/<base64url>"), else nullopt.
std::optional<std::string_view> challenge_token(std::string_view target) noexcept;
// 200 with a key authorization (the challenge route's success answer).
response_spec challenge_response(std::string_view key_authorization);

// A fixed response for a route: used by the router and by the session for protocol errors (400/413/431/501).
response_spec fixed_response(route_id r);

}  // namespace certman::net
