// The ACME directory (RFC 8555 §7.1.1): the URLs of the CA's endpoints and its metadata, including
// ACME Renewal Information (RFC 9773 §4, "renewalInfo") and profiles (draft-aaron-acme-profiles, "meta.profiles").
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::acme {

struct directory_meta {
    std::optional<std::string> terms_of_service;
    std::optional<std::string> website;
    std::vector<std::string> caa_identities;
    bool external_account_required = false;
    std::map<std::string, std::string> profiles;  // name → description; empty when the CA offers none
};

struct directory {
    std::string new_nonce;
    std::string new_account;
    std::string new_order;
    std::string revoke_cert;
    std::string key_change;
    std::optional<std::string> new_authz;     // optional in §7.1.1, unused by certman
    std::optional<std::string> renewal_info;  // RFC 9773; absent on Debian's Pebble
    directory_meta meta;
};

// Parses the directory JSON. newNonce, newAccount, newOrder, revokeCert and keyChange are required (§7.1.1
// lists them; keyChange is absent from some CAs' directories only in violation of it, so it is required too).
// Wrong types or missing fields → errc::parse_error with a message naming the field.
result<directory> parse_directory(std::string_view json);

// True when the CA offers `profile` in meta.profiles.
bool offers_profile(const directory& d, std::string_view profile);

}  // namespace certman::acme
