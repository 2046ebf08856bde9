// Key authorizations (RFC 8555 §8.1): what the HTTP-01 challenge path serves for a token.
#pragma once
#include <string>
#include <string_view>

namespace certman::jose {

// token || '.' || base64url(JWK thumbprint of the account key).
std::string key_authorization(std::string_view token, std::string_view thumbprint);

}  // namespace certman::jose
