// One-shot digests and MACs over byte strings, as raw bytes (hex or base64 is the caller's choice).
// Used by fingerprints, the JWK thumbprint, HS256 (EAB) and the Alibaba request signers.
#pragma once
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::crypto {

// SHA-256 (32 bytes) and SHA-1 (20 bytes) of `data`. OpenSSL failure → errc::crypto_error.
result<std::string> sha256(std::string_view data);
result<std::string> sha1(std::string_view data);
// HMAC (RFC 2104) with SHA-256 (32 bytes) or SHA-1 (20 bytes). Any key length, including empty.
// OpenSSL failure → errc::crypto_error.
result<std::string> hmac_sha256(std::string_view key, std::string_view data);
result<std::string> hmac_sha1(std::string_view key, std::string_view data);

}  // namespace certman::crypto
