// The JWS signature algorithms certman uses (RFC 7518 §3.1): ES256 and ES384 for EC keys, RS256
// (RSASSA-PKCS1-v1_5 with SHA-256) for RSA keys of any size. HS256 (EAB) is in eab.hpp.
// These work on the JWS Signing Input (ASCII(BASE64URL(header) '.' BASE64URL(payload)), RFC 7515 §5.1).
#pragma once
#include <string>
#include <string_view>
#include "certman/crypto/private_key.hpp"

namespace certman::jose {

// "ES256" for ec256, "ES384" for ec384, "RS256" for every RSA type.
std::string_view jws_alg(crypto::key_type type) noexcept;

// The JWS signature bytes of `signing_input` with `key` under jws_alg(key.type()): R||S for ECDSA
// (randomized), PKCS#1 v1.5 for RSA (deterministic). OpenSSL failure → errc::crypto_error.
result<std::string> sign_input(const crypto::private_key& key, std::string_view signing_input);

// Checks a JWS signature made with `alg` by the holder of `public_key`.
// Errors: alg not ES256/ES384/RS256 → errc::unsupported; alg does not fit the key (e.g. ES384 with a P-256
// key, RS256 with an EC key) → errc::invalid_argument; wrong signature (including a wrong length)
// → errc::crypto_error.
result<void> verify_input(EVP_PKEY* public_key, std::string_view alg, std::string_view signing_input,
                          std::string_view signature);

}  // namespace certman::jose
