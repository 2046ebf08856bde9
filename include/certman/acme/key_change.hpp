// Account key rollover (RFC 8555 §7.3.5): the keyChange request's payload is itself a JWS, signed by the NEW
// key, whose protected header holds "alg", "jwk" (the new public key) and "url" (the keyChange URL) and no
// "nonce", and whose payload is {"account": <account URL>, "oldKey": <old public JWK>}. The driver wraps it in
// the usual outer JWS signed by the OLD key with its "kid" (client::change_key). Pure and deterministic
// for deterministic algorithms (RS256), so tests compare bytes.
#pragma once
#include <string>
#include <string_view>
#include "certman/core/result.hpp"
#include "certman/crypto/private_key.hpp"

namespace certman::acme {

// {"account":"<account_url>","oldKey":{<public JWK of old_key>}}: the inner payload, members in this order.
std::string key_change_inner_payload(std::string_view account_url, const crypto::private_key& old_key);

// The inner JWS (flattened JSON text), i.e. the outer request's payload. Errors: an empty account_url or
// key_change_url → errc::invalid_argument; old and new key the same → errc::invalid_argument (the CA would
// refuse it; §7.3.5 "the new key is not already in use"); signing failure → errc::crypto_error.
result<std::string> key_change_payload(const crypto::private_key& new_key, const crypto::private_key& old_key,
                                       std::string_view account_url, std::string_view key_change_url);

}  // namespace certman::acme
