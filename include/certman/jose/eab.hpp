// External Account Binding (RFC 8555 §7.3.4): the inner JWS, MACed with HS256 (RFC 7518 §3.2) under a key the
// CA gave out of band, that ties a new ACME account key to an existing customer account.
#pragma once
#include <boost/json/object.hpp>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::jose {

struct parsed_jws;

// The flattened JWS object for newAccount's "externalAccountBinding": protected {"alg":"HS256","kid":eab_kid,
// "url":new_account_url}, payload = the account's public JWK, MAC with the base64url-decoded HMAC key.
// Errors: empty kid or URL, or an HMAC key that is empty or not base64url → errc::invalid_argument;
// OpenSSL failure → errc::crypto_error.
result<boost::json::object> eab_jws(std::string_view eab_kid, std::string_view hmac_key_b64url,
                                    const boost::json::object& account_jwk, std::string_view new_account_url);

// Checks an HS256 JWS (as a test CA checks an EAB) with the raw HMAC key, in constant time.
// Errors: alg is not "HS256" → errc::unsupported; wrong MAC → errc::crypto_error.
result<void> verify_hs256(const parsed_jws& jws, std::string_view hmac_key);

}  // namespace certman::jose
