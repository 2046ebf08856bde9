// Flattened JWS JSON serialization (RFC 7515 §7.2.2) as ACME requires it (RFC 8555 §6.2): every request is a
// JWS whose protected header carries alg, nonce, url and exactly one of jwk (newAccount, revocation by
// certificate key) or kid (the account URL). Also the reverse, parsing and verifying, for tests and the test
// ACME servers.
#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include "certman/crypto/private_key.hpp"

namespace certman::jose {

struct jws_header {
    std::string url;                   // the exact request URL (RFC 8555 §6.4)
    std::optional<std::string> nonce;  // from the last Replay-Nonce; absent only where the server allows
    std::optional<std::string> kid;    // the account URL; when absent the public JWK is embedded instead
};

// The flattened JSON {"protected":..,"payload":..,"signature":..} of `payload` signed with `key`; the
// protected header is {"alg", "jwk"|"kid", "nonce"?, "url"}. An empty payload gives "payload":"" (POST-as-GET,
// RFC 8555 §6.3). Errors: empty url → errc::invalid_argument; signing failure → errc::crypto_error.
result<std::string> sign_jws(const crypto::private_key& key, const jws_header& h, std::string_view payload);

struct parsed_jws {
    boost::json::object header;  // the decoded protected header
    std::string payload;         // the decoded payload ("" for POST-as-GET)
    std::string signing_input;   // protected '.' payload, as sent
    std::string signature;       // the decoded signature bytes
};

// Splits a flattened JWS. Not JSON, a missing or non-string member, bad base64url, a protected header that is
// not a JSON object, or an unprotected "header" member (RFC 8555 §6.2 forbids it) → errc::parse_error.
result<parsed_jws> parse_jws(std::string_view flattened_json);

// Verifies `jws` against a public (or private) JWK using the header's "alg". Errors as key_from_jwk and
// verify_input; a header without a string "alg" → errc::parse_error.
result<void> verify_jws(const parsed_jws& jws, const boost::json::object& jwk);

// parse_jws then verify_jws; returns the parsed JWS when the signature is good.
result<parsed_jws> verify_jws(std::string_view flattened_json, const boost::json::object& jwk);

}  // namespace certman::jose
