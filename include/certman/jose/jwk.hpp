// JSON Web Keys (RFC 7517) for the key types certman signs with (RFC 7518 §6.2 EC P-256/P-384, §6.3 RSA):
// the public JWK an ACME account is known by (RFC 8555 §6.2 "jwk"), and the reverse, a key from a JWK, for
// verifying JWS in tests and test servers and for importing the RFC examples.
#pragma once
#include <boost/json/object.hpp>
#include "certman/crypto/private_key.hpp"

namespace certman::jose {

// The public JWK of `key`, members in lexicographic order so that serializing it gives the RFC 7638
// canonical form. EC: {"crv","kty":"EC","x","y"}, coordinates left-padded to the curve size (32 or 48
// bytes, RFC 7518 §6.2.1.2). RSA: {"e","kty":"RSA","n"}, minimal big-endian unsigned integers (§6.3.1).
// Cannot fail for a valid private_key; an OpenSSL failure throws std::runtime_error (a bug, not an input).
boost::json::object public_jwk(const crypto::private_key& key);

// An OpenSSL key from a JWK: EC P-256/P-384 ("x","y", optional "d") or RSA ("n","e", optional "d" with
// optional "p","q","dp","dq","qi"). Other members are ignored. Missing or mistyped members, bad base64url or
// wrong coordinate length → errc::invalid_argument; other kty or crv → errc::unsupported; OpenSSL failure
// → errc::crypto_error.
result<crypto::evp_pkey_ptr> key_from_jwk(const boost::json::object& jwk);

// As key_from_jwk, but the JWK must hold the private key ("d"), and the key must be one of the key_types.
// No "d" → errc::invalid_argument.
result<crypto::private_key> private_key_from_jwk(const boost::json::object& jwk);

}  // namespace certman::jose
