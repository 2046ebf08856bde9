// Alibaba Cloud OpenAPI signature V3, ACS3-HMAC-SHA256, as the current SDKs send it by default (Alidns, ALB, CAS;
// reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §1.3, from @alicloud/openapi-core
// utils.ts getAuthorization). Pure: the date and the nonce are parameters, so a request is reproduced byte for
// byte in tests (vectors A-D of the reference).
//
//   CanonicalRequest = METHOD \n "/" \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(SHA-256(body))
//   StringToSign     = "ACS3-HMAC-SHA256\n" hex(SHA-256(CanonicalRequest))
//   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))       (the secret as is: no '&')
//   Authorization    = "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<sig>"
//
// CanonicalQuery is canonical_query.hpp with "k=" for empty values (the same strict RFC 3986 encoder as V1; the
// SDK leaves names unencoded, which is the same bytes for every RPC name: letters, digits and '.').
// CanonicalHeaders are the headers named host, content-type or x-acs-*, names lowercased, values trimmed,
// duplicates joined with ',', sorted by name, one "name:value\n" each.
#pragma once
#include <string>
#include <string_view>

#include "certman/cloud/alibaba/canonical_query.hpp"  // param, param_list
#include "certman/cloud/alibaba/credentials.hpp"

namespace certman::cloud::alibaba {

using header_list = param_list;  // (name, value) in any case and order

inline constexpr std::string_view acs3_algorithm = "ACS3-HMAC-SHA256";

// The header names that are signed (lowercase, sorted, unique) joined with ';'. Never fails.
std::string acs3_signed_headers(const header_list& headers);

// The canonical request over `query` (raw names and values) and `headers` (the signed ones are picked out);
// `body` is the exact payload bytes (empty for query-only RPC calls). Never fails.
std::string acs3_canonical_request(std::string_view method, const param_list& query, const header_list& headers,
                                   std::string_view body);

// "ACS3-HMAC-SHA256\n" + lowercase hex SHA-256 of the canonical request.
std::string acs3_string_to_sign(std::string_view canonical_request);

// Lowercase hex HMAC-SHA256 of the string to sign under the secret.
std::string acs3_signature(std::string_view secret, std::string_view string_to_sign);

// What varies per request besides the action's parameters.
struct acs3_call {
    std::string_view method = "POST";
    std::string_view host;     // as the server sees it: "alidns.aliyuncs.com", "127.0.0.1:8443"
    std::string_view action;   // x-acs-action
    std::string_view version;  // x-acs-version, "2015-01-09" for Alidns
    std::string_view date;     // x-acs-date, "YYYY-MM-DDThh:mm:ssZ" (rpc_signature.hpp format_timestamp)
    std::string_view nonce;    // x-acs-signature-nonce, unique per request
    std::string_view body;     // exact bytes; non-empty adds content-type application/x-www-form-urlencoded
};

// Every header of a V3 request, Authorization last: host, x-acs-action, x-acs-version, x-acs-date,
// x-acs-signature-nonce, x-acs-content-sha256, content-type (only with a body), x-acs-security-token and
// x-acs-accesskey-id (only with STS credentials). Never fails.
header_list acs3_signed_request_headers(const acs3_call& call, const param_list& query, const credentials& key);

}  // namespace certman::cloud::alibaba
