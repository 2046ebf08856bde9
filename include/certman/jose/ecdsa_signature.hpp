// ECDSA signature formats. OpenSSL produces and expects DER (SEQUENCE { INTEGER r, INTEGER s }); JWS uses the
// fixed-length concatenation R||S, each left-padded to the curve's size (RFC 7518 §3.4: 32 bytes for P-256,
// 48 for P-384).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::jose {

// DER → R||S with each half `coordinate_size` bytes. Not DER, trailing bytes, or an r/s that does not fit in
// coordinate_size bytes → errc::invalid_argument.
result<std::string> ecdsa_der_to_jose(std::string_view der, std::size_t coordinate_size);
// R||S → DER. Empty or odd-length input → errc::invalid_argument.
result<std::string> ecdsa_jose_to_der(std::string_view rs);

}  // namespace certman::jose
