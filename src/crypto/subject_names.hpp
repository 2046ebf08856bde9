// Private to src/crypto: the subject and subjectAltName shared by CSRs and self-signed certificates.
#pragma once
#include <string>
#include <vector>
#include "certman/crypto/openssl_handles.hpp"

namespace certman::crypto::detail {

// Checks the name list: non-empty, each name non-empty and free of spaces and control characters.
// Failure → errc::invalid_argument.
error_code check_names(const std::vector<std::string>& names);
// A subject "CN=<first name>", or an empty name when the first name is longer than X.520's 64 characters.
result<x509_name_ptr> make_subject(const std::vector<std::string>& names);
// A non-critical subjectAltName extension: iPAddress for IP literals, dNSName for the rest (RFC 5280 §4.2.1.6).
result<x509_extension_ptr> make_san_extension(const std::vector<std::string>& names);

}  // namespace certman::crypto::detail
