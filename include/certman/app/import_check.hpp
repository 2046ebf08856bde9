// The checks `certman import` makes before an existing certificate (certbot's live/NAME/ files, or any PEM
// cert/key/chain) enters storage under a configured [[certificate]]: the key belongs to the leaf, the chain
// verifies, the leaf is valid now, its names cover the configured domains, its key type is the configured
// one. Each refusal is one message that says what is wrong and what to do. No I/O besides OpenSSL's system
// trust store (X509_STORE_set_default_paths); the time is passed in.
//
// Chain trust, in this order (the result says which one held):
//  1. the system trust store plus the PEM certificates given as `trusted_pem` ([acme] trusted_ca);
//  2. else, when the chain ends in a self-signed certificate, that root (the chain's own root).
// Anything else (a missing intermediate, a bad signature, an unknown root) is refused.
//
// What the stored bundle records, so that the renewal policy (policy/renewal.hpp) orders nothing at once:
//  - names = the configured domains (the leaf covers them; extra names in the leaf are reported and dropped
//    at the next renewal), key_type = the configured one (a different type is refused), profile = the
//    configured one;
//  - directory_url = "" (unknown): the issuing directory of an imported certificate cannot be known for sure
//    (certbot's renewal/NAME.conf may have been edited since), and the policy takes an unknown directory to
//    match the configured one, so the directory-switch rule never re-orders an imported certificate. The
//    first renewal records the configured directory.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include "certman/app/config.hpp"
#include "certman/storage/bundle.hpp"

namespace certman::app {

struct import_files {
    std::string certificate_pem;  // the leaf first; further certificates here are taken as chain
    std::string private_key_pem;  // secret: never logged or printed
    std::string chain_pem;        // issuers, leaf's issuer first; may be empty when certificate_pem has them
};

struct import_checked {
    std::optional<storage::certificate_bundle> bundle;  // set when every check passed
    std::string error;                                  // otherwise: what is wrong and what to do
    std::string trust;                                  // which trust anchor verified the chain (one line)
    std::vector<std::string> notes;                     // things the operator should know (extra names ...)
};

// Checks `files` against `cert` at `now`. `trusted_pem`: extra trust anchors (PEM text, may be empty).
import_checked check_import(const import_files& files, const certificate_config& cert, const std::string& trusted_pem,
                            std::chrono::sys_seconds now);

// True when the DNS name `san` from a certificate covers the configured `domain` (ASCII case-insensitive;
// a "*." SAN covers exactly one more label, RFC 6125 §6.4.3; a configured "*.x" needs the SAN "*.x").
bool san_covers(std::string_view san, std::string_view domain);

}  // namespace certman::app
