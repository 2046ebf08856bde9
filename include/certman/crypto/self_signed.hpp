// Self-signed leaf certificates: a placeholder so a load balancer or HAProxy can serve TLS before the first
// ACME certificate exists, and fixtures for tests. Time is a parameter (pure code reads no clock).
#pragma once
#include <chrono>
#include <string>
#include <vector>
#include "certman/crypto/private_key.hpp"

namespace certman::crypto {

// A PEM certificate for `names` (CN = first name, SANs as in make_csr_der), issuer = subject, signed by `key`
// with SHA-256, valid from `valid_from` for `valid_for`, basicConstraints CA:FALSE. The serial is derived from
// the key, names and validity (same inputs, same serial), positive and 16 bytes long.
// Errors: as make_csr_der for the names; non-positive `valid_for` → errc::invalid_argument;
// OpenSSL failure → errc::crypto_error.
result<std::string> make_self_signed(const private_key& key, const std::vector<std::string>& names,
                                     std::chrono::sys_seconds valid_from, std::chrono::seconds valid_for);

}  // namespace certman::crypto
