// base64url without padding (RFC 4648 §5, as JOSE and ACME use it) and standard base64 with padding.
// Pure functions: no allocation beyond the returned string.
#pragma once
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman {

// Encodes bytes as base64url without '=' padding.
std::string base64url_encode(std::string_view bytes);
// Decodes base64url; padding is accepted but not required. Any other character → errc::invalid_argument.
result<std::string> base64url_decode(std::string_view text);
// True when text is a non-empty run of base64url characters [A-Za-z0-9_-] (an ACME token).
bool is_base64url_token(std::string_view text) noexcept;

// Standard base64 (RFC 4648 §4) with padding, for PEM bodies and cloud signatures.
std::string base64_encode(std::string_view bytes);
// Decodes standard base64; whitespace is ignored; bad characters → errc::invalid_argument.
result<std::string> base64_decode(std::string_view text);

}  // namespace certman
