// OSS request signing, Signature V4 (OSS4-HMAC-SHA256), reference alibaba-api.md §4.3 (OSS doc "Signature V4";
// vectors from the OSS SDKs' signer tests). Pure: the time is a parameter.
//
//   CanonicalRequest = VERB \n enc_path("/bucket/key") \n CanonicalQuery \n CanonicalHeaders \n
//                      AdditionalHeaders \n PayloadHash
//   StringToSign     = "OSS4-HMAC-SHA256" \n x-oss-date \n yyyymmdd/region/oss/aliyun_v4_request \n hex(SHA256(CR))
//   SigningKey       = HMAC chain from "aliyun_v4" + secret over yyyymmdd, region, "oss", "aliyun_v4_request"
//   Authorization    = OSS4-HMAC-SHA256 Credential=AK/yyyymmdd/region/oss/aliyun_v4_request,
//                      [AdditionalHeaders=a;b,]Signature=hex(HMAC-SHA256(SigningKey, StringToSign))
//
// Signed by default: content-type, content-md5 and every x-oss-* header. Other headers are signed only when named
// in additional_headers *and* present on the request. The region is the bare id ("cn-hangzhou").
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "certman/cloud/alibaba/credentials.hpp"
#include "certman/cloud/alibaba/canonical_query.hpp"  // param, param_list

namespace certman::cloud::alibaba {

struct oss_v4_request {
    std::string method;                   // "PUT", "GET", ...
    std::string bucket;                   // empty for service-level requests
    std::string key;                      // raw object key ("a/b+c.txt"); empty for bucket-level requests
    param_list query;                     // raw (decoded) names and values; an empty value is signed as a bare name
    param_list headers;                   // as sent; names are matched case-insensitively
    std::vector<std::string> additional_headers;  // extra header names to sign, any case
};

// "20231216T162057Z": ISO 8601 basic format, UTC, the x-oss-date header value.
std::string oss_v4_datetime(std::chrono::sys_seconds t);

// The AdditionalHeaders list actually signed: lowercased, deduplicated, sorted, without the default-signed
// headers and without names the request does not carry; joined with ';'. Empty when there are none.
std::string oss_v4_additional_headers(const oss_v4_request& req);

// The canonical request. The payload hash is the x-oss-content-sha256 header's value, or UNSIGNED-PAYLOAD.
std::string oss_v4_canonical_request(const oss_v4_request& req);

// The string to sign for a canonical request; `datetime` is the x-oss-date value ("20231216T162057Z").
std::string oss_v4_string_to_sign(std::string_view canonical_request, std::string_view datetime,
                                  std::string_view region);

// The raw 32-byte signing key for a day ("20231216") and region.
std::string oss_v4_signing_key(std::string_view secret, std::string_view date, std::string_view region);

// The Authorization header value for `req` signed at `t` (which must match its x-oss-date header).
std::string oss_v4_authorization(const oss_v4_request& req, const credentials& key, std::string_view region,
                                 std::chrono::sys_seconds t);

// Signs in place: sets x-oss-date from `t`, adds x-oss-content-sha256: UNSIGNED-PAYLOAD when absent and
// x-oss-security-token for STS keys, then sets Authorization. Existing headers of those names are replaced.
void oss_v4_sign(oss_v4_request& req, const credentials& key, std::string_view region, std::chrono::sys_seconds t);

}  // namespace certman::cloud::alibaba
