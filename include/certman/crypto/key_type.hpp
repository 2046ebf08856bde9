// The key algorithms certman can generate and use for ACME accounts and certificates, and their names in
// the configuration ("ec256", "ec384", "rsa2048", "rsa3072", "rsa4096").
#pragma once
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::crypto {

enum class key_type { ec256, ec384, rsa2048, rsa3072, rsa4096 };

// The configuration name of a key type, e.g. "ec256".
std::string_view to_string(key_type t) noexcept;
// Parses a configuration name; "" means the default, ec256. Names are exact (lowercase).
// Unknown names → errc::invalid_argument.
result<key_type> parse_key_type(std::string_view name);
// True for the RSA key types.
bool is_rsa(key_type t) noexcept;

}  // namespace certman::crypto
