// Reading X.509 certificates (RFC 5280): splitting a PEM chain as ACME returns it (RFC 8555 §7.4.2,
// application/pem-certificate-chain), and the facts certman decides on: names, validity window (for the
// renewal policy), serial and authority key identifier (for ARI), fingerprints (for deployers that look a
// certificate up by fingerprint), and whether a private key belongs to it.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/private_key.hpp"

namespace certman::crypto {

struct certificate_facts {
    std::string subject_cn;                 // empty when the subject has no CN
    std::string issuer_cn;                  // empty when the issuer has no CN
    std::string issuer;                     // one line, as `openssl x509 -issuer` prints it: "C = US, O = X, CN = Y"
    std::vector<std::string> dns_names;     // subjectAltName dNSName entries, in certificate order
    std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, text form ("192.0.2.1", "2001:db8::1")
    std::chrono::sys_seconds not_before{};
    std::chrono::sys_seconds not_after{};
    std::string serial_hex;                 // lowercase hex of the serial's magnitude, as `openssl x509 -serial` (lowercased)
    std::string serial_der;                 // the DER INTEGER content octets (with a leading 0x00 when the top bit is set)
    std::string authority_key_id;           // keyIdentifier bytes of the AKI extension; empty when absent
    std::string sha1_fingerprint;           // lowercase hex of SHA-1(DER), no colons
    std::string sha256_fingerprint;         // lowercase hex of SHA-256(DER), no colons
    std::optional<key_type> public_key_type;  // empty when the key is not one certman uses
    std::string der;                        // the certificate itself
};

// Every certificate in a PEM text, in order, each re-encoded as one canonical PEM block ending in "\n".
// Text between blocks is ignored. No certificate, an unterminated block or a block that does not parse
// → errc::parse_error.
result<std::vector<std::string>> split_pem_chain(std::string_view pem);

// Facts about one certificate given as PEM (the first block is used) or as DER.
// Unparseable input → errc::parse_error; OpenSSL failure → errc::crypto_error.
result<certificate_facts> inspect_certificate(std::string_view pem_or_der);

// True when the certificate (PEM, first block, or DER) carries the public half of `key`. False when it
// does not, or when the certificate cannot be parsed.
bool key_matches_certificate(const private_key& key, std::string_view cert_pem);

}  // namespace certman::crypto
