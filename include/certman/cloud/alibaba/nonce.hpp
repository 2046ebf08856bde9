// SignatureNonce values: random UUIDs, as every Alibaba SDK sends (reference §1.2). Pure: the caller draws the
// random bytes (rpc_client uses OpenSSL's RAND_bytes).
#pragma once
#include <array>
#include <string>

namespace certman::cloud::alibaba {

// A version 4 UUID built from 16 random bytes, RFC 9562 §5.4: lowercase "xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx"
// with the version nibble set to 4 and the variant bits to 10. Never fails.
std::string uuid_v4_from_bytes(std::array<unsigned char, 16> bytes);

}  // namespace certman::cloud::alibaba
