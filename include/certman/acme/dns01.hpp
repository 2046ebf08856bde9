// What a DNS-01 challenge puts where (RFC 8555 §8.4): the TXT record's owner name and value. Shared by the
// dns-01 solvers (challenge/dns01_alidns_solver.hpp). Pure.
#pragma once
#include <string>
#include <string_view>

#include "certman/core/result.hpp"

namespace certman::acme {

// "_acme-challenge." + the identifier's name; a wildcard "*.x" is validated at "_acme-challenge.x" (§8.4 with
// §7.1.3: the authorization for a wildcard is for the base name). A trailing dot is dropped. Never fails.
std::string dns01_record_name(std::string_view identifier_value);

// base64url (no padding) of SHA-256 of the key authorization: 43 characters. OpenSSL failure → errc::crypto_error.
result<std::string> dns01_txt_value(std::string_view key_authorization);

}  // namespace certman::acme
