// Alibaba Cloud RPC-style OpenAPI request signing, SignatureVersion 1.0 with HMAC-SHA1, as SLB/CLB 2014-05-15 uses
// it (reference alibaba-api.md §1.1-§1.2; help.aliyun.com document 130769). Pure: the nonce and the time are
// parameters, so a request can be reproduced byte for byte in tests.
//
//   StringToSign = METHOD "&" enc("/") "&" enc(sorted "k=v" pairs joined by "&")
//   Signature    = base64(HMAC-SHA1(secret + "&", StringToSign))
//
// Parameter names are case-sensitive (`Timestamp`, never `TimeStamp`) and sorted by raw bytes; empty values are
// signed as "k=". The caller merges URL query and form body parameters before verifying (§1.1 step 1).
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certman/cloud/alibaba/canonical_query.hpp"  // param, param_list
#include "certman/cloud/alibaba/credentials.hpp"

namespace certman::cloud::alibaba {

// canonical_query (canonical_query.hpp: encoded, sorted, "k=v" joined with '&', "k=" for an empty value) over
// every pair but one named "Signature". This is §1.1 steps 2-3.
std::string canonicalized_query(const param_list& params);

// The V1 StringToSign for `method` ("GET" or "POST", used verbatim) over all params except "Signature".
std::string string_to_sign(std::string_view method, const param_list& params);

// base64(HMAC-SHA1(secret + "&", string_to_sign(method, params))).
std::string rpc_signature(std::string_view method, const param_list& params, std::string_view secret);

// UTC ISO 8601 with a Z and no fraction, "YYYY-MM-DDThh:mm:ssZ", as the Timestamp parameter wants it.
std::string format_timestamp(std::chrono::sys_seconds t);

// What varies per request besides the action's own parameters.
struct rpc_call_context {
    std::string_view version;  // API version, "2014-05-15" for SLB
    std::string_view nonce;    // unique per request (SignatureNonce); a UUID in production
    std::chrono::sys_seconds now;
};

// The action params plus the common params (§1.2): AccessKeyId, Format=JSON, SignatureMethod=HMAC-SHA1,
// SignatureNonce, SignatureVersion=1.0, Timestamp, Version, and SecurityToken when the key is STS; then the
// Signature computed for `method`. Action params that name a common param are overridden. Order: sorted.
param_list signed_params(std::string_view method, const param_list& action_params, const credentials& key,
                         const rpc_call_context& ctx);

// "k=v&..." in the given order, percent-encoded (RFC 3986, space as %20): valid as a query string and as an
// application/x-www-form-urlencoded body.
std::string form_encode(const param_list& params);

// The whole POST body: form_encode(signed_params("POST", ...)). The request goes to "/" with
// Content-Type: application/x-www-form-urlencoded (how acme.sh's dns_ali and the SDKs' POST form send it).
std::string signed_form_body(const param_list& action_params, const credentials& key, const rpc_call_context& ctx);

}  // namespace certman::cloud::alibaba
