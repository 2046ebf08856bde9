// A certificate bundle: everything certman keeps about one certificate, as one value. The private key, the
// leaf and its chain travel together in one JSON document (one file, one object) so that on every backend
// a reader sees either the old pair or the new pair, never a new leaf with an old key (docs/storage-layout.md, "Guarantees").
// Pure: (de)serialization only; times are given, never read from a clock.
//
// JSON shape (version 1; unknown members are ignored so later versions can add fields):
//   {"version":1, "names":["example.com",...], "key_type":"ec256", "issuer_cn":"...", "serial":"0a1b...",
//    "not_before":"2025-01-01T00:00:00Z", "not_after":"...", "obtained_at":"...",
//    "order_url":"...", "certificate_url":"...", "profile":"", "directory_url":"https://.../directory",
//    "private_key_pem":"-----BEGIN PRIVATE KEY-----...", "certificate_pem":"...", "chain_pem":"..."}
// Times are RFC 3339 UTC with second precision ("YYYY-MM-DDTHH:MM:SSZ", RFC 3339 §5.6), written and read by
// certman/core/rfc3339.hpp (which also accepts fractions and offsets, should a file ever carry them).
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::storage {

struct certificate_bundle {
    std::string private_key_pem;   // PKCS#8 PEM; secret: never logged
    std::string certificate_pem;   // the leaf, PEM
    std::string chain_pem;         // issuer certificates, PEM, leaf's issuer first; may be empty
    std::vector<std::string> names;  // the identifiers the certificate covers (first = common name)
    std::string key_type;          // "ec256", "ec384", "rsa2048", ...
    std::string issuer_cn;         // the leaf issuer's common name (preferred-chain, logs)
    std::string serial;            // lowercase hex serial number of the leaf
    std::chrono::sys_seconds not_before{};
    std::chrono::sys_seconds not_after{};
    std::chrono::sys_seconds obtained_at{};  // when certman stored it
    std::string order_url;         // ACME order URL (RFC 8555 §7.1.3), for ARI and audits
    std::string certificate_url;   // ACME certificate URL, for revocation and audits
    std::string profile;           // ACME profile name, empty = CA default
    // The ACME directory URL the certificate was ordered from (RFC 8555 §7.1.1). Empty in bundles written
    // before it was recorded; the renewal policy then takes it to match the configured directory.
    std::string directory_url;

    // The leaf followed by the chain, each ending with a newline: what servers call "fullchain".
    std::string fullchain_pem() const;

    bool operator==(const certificate_bundle&) const = default;
};

// Serializes to the JSON document above (compact, members in the order shown).
std::string to_json(const certificate_bundle& bundle);

// Parses a document written by to_json. Errors: errc::parse_error when the text is not JSON, not an object,
// has a different "version", or a member has the wrong type or an unparsable time; the three PEM members
// and "version" are required, everything else defaults to empty / the epoch.
result<certificate_bundle> bundle_from_json(std::string_view text);

}  // namespace certman::storage
