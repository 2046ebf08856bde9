// Private to src/crypto: parsing one certificate from PEM (first CERTIFICATE block) or DER.
#pragma once
#include <string_view>
#include "certman/crypto/openssl_handles.hpp"

namespace certman::crypto::detail {

// Input starting with "-----BEGIN" (after leading whitespace) is PEM, anything else DER. Unparseable, or
// DER with trailing bytes → errc::parse_error.
result<x509_ptr> load_certificate(std::string_view pem_or_der);

}  // namespace certman::crypto::detail
