// JSON payloads of the ACME requests certman sends (RFC 8555 §7.3, §7.4, §7.5.1, §7.6; RFC 9773 §5;
// draft-aaron-acme-profiles). The driver wraps each in a JWS; pure, deterministic output (fixed member order)
// so tests compare bytes.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"
#include "certman/core/result.hpp"

namespace certman::acme {

// POST-as-GET (§6.3): the JWS payload is the empty string.
inline constexpr std::string_view post_as_get_payload = "";

struct new_account_request {
    std::vector<std::string> emails;  // "ops@example.org" (or already "mailto:ops@example.org")
    bool terms_of_service_agreed = false;
    bool only_return_existing = false;              // §7.3.1: find the account of this key, create nothing
    std::optional<std::string> external_account_binding;  // §7.3.4: the inner JWS, as flattened-JSON text
};

// {"contact":["mailto:..."],"termsOfServiceAgreed":true,"externalAccountBinding":{...}}, or
// {"onlyReturnExisting":true} alone when only_return_existing is set (the server ignores the rest then).
// Errors: errc::invalid_argument when an email is empty, lacks '@' or holds ',', whitespace or '?' (they would
// change the meaning of the mailto: URL), or when external_account_binding is not a JSON object.
result<std::string> new_account_payload(const new_account_request& req);

// §7.4: {"identifiers":[{"type":"dns","value":"a.example"}],"profile":"...","replaces":"..."}; the optional
// members appear only when given.
std::string new_order_payload(const std::vector<identifier>& ids, std::optional<std::string_view> profile = {},
                              std::optional<std::string_view> replaces = {});

// §7.4: {"csr":"<base64url(DER)>"}.
std::string finalize_payload(std::string_view csr_der);

// §7.5.1: the client tells the server it is ready with an empty object.
std::string challenge_response_payload();

// §7.6: {"certificate":"<base64url(DER)>","reason":N}. reason is an RFC 5280 §5.3.1 CRLReason code
// (0-10 except 7); any other value → errc::invalid_argument.
result<std::string> revoke_payload(std::string_view certificate_der, std::optional<int> reason = {});

}  // namespace certman::acme
