// Private to src/cloud/alibaba: the few OpenSSL one-shot digests the Alibaba signers need (HMAC-SHA1 for RPC V1,
// SHA-256 and HMAC-SHA256 for OSS V4). Kept local so the signers do not depend on the crypto layer's schedule.
#pragma once
#include <string>
#include <string_view>

namespace certman::cloud::alibaba::detail {

// Raw (binary) HMAC-SHA1 / HMAC-SHA256 of `data` under `key`. OpenSSL failure is a bug here (fixed inputs,
// built-in digests), so it throws std::runtime_error rather than returning a result.
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
// Raw SHA-256 of `data`.
std::string sha256(std::string_view data);
// Lowercase hex of raw bytes.
std::string to_hex(std::string_view bytes);

}  // namespace certman::cloud::alibaba::detail
