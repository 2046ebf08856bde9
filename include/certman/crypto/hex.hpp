// Lowercase hex for bytes (fingerprints, serial numbers) and the normal form of fingerprints that users or
// cloud APIs write in other styles ("AB:CD:..", "ab cd ..").
#pragma once
#include <string>
#include <string_view>

namespace certman::crypto {

// Lowercase hex, two digits per byte, no separators.
std::string to_hex(std::string_view bytes);
// Lowercases and removes ':' and whitespace, so that two spellings of one fingerprint compare equal.
// Does not validate that the rest is hex.
std::string normalize_fingerprint(std::string_view text);

}  // namespace certman::crypto
