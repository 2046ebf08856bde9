// Certificate signing requests for ACME finalize (RFC 8555 §7.4): PKCS#10 (RFC 2986) in DER, the form the
// finalize payload carries (base64url of these bytes).
#pragma once
#include <string>
#include <vector>
#include "certman/crypto/private_key.hpp"

namespace certman::crypto {

// A CSR signed with `key` (SHA-256) whose subjectAltName lists every name: an IP literal (IPv4 dotted or
// IPv6) becomes an iPAddress, anything else a dNSName. The subject CN is the first name when it fits the
// 64-character upper bound of X.520; otherwise the subject is empty (ACME servers read only the SANs).
// Errors: no names, an empty name or one with control characters or spaces → errc::invalid_argument;
// OpenSSL failure → errc::crypto_error.
result<std::string> make_csr_der(const private_key& key, const std::vector<std::string>& names);

}  // namespace certman::crypto
