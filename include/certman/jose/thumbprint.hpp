// JWK thumbprints (RFC 7638): the account key's fingerprint that ACME puts in key authorizations
// (RFC 8555 §8.1).
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include "certman/crypto/private_key.hpp"

namespace certman::jose {

// base64url(SHA-256(canonical JWK)) for the public half of `key` (RFC 7638 §3). Cannot fail for a
// private_key; an OpenSSL failure throws std::runtime_error (a broken library is a bug, not an input).
std::string jwk_thumbprint(const crypto::private_key& key);

// The same for a JWK object: only the required members (RFC 7638 §3.2: EC crv,kty,x,y; RSA e,kty,n) are
// hashed, in lexicographic order, without whitespace. Missing or non-string members → errc::invalid_argument;
// other kty → errc::unsupported.
result<std::string> jwk_thumbprint(const boost::json::object& jwk);

}  // namespace certman::jose
