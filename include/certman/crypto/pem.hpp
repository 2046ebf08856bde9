// PEM encoding of private keys: PKCS#8 for certman's own files, PKCS#1 ("BEGIN RSA PRIVATE KEY") for
// APIs that insist on it (Alibaba SLB's UploadServerCertificate), and a reader that accepts what people
// actually have on disk. Output holds secret material: never log it.
#pragma once
#include <string>
#include <string_view>
#include "certman/crypto/private_key.hpp"

namespace certman::crypto {

// Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). OpenSSL failure → errc::crypto_error.
result<std::string> to_pem(const private_key& key);
// PKCS#1 RSAPrivateKey PEM ("-----BEGIN RSA PRIVATE KEY-----", RFC 8017 A.1.2), converted by OpenSSL's
// type-specific encoder. EC keys → errc::unsupported.
result<std::string> to_pkcs1_pem(const private_key& key);
// Reads the first unencrypted private key in a PEM text: PKCS#8, PKCS#1 RSA or SEC1 EC
// ("BEGIN EC PRIVATE KEY"). No key / bad PEM / encrypted → errc::parse_error; other algorithms or sizes
// → errc::unsupported.
result<private_key> private_key_from_pem(std::string_view pem);

}  // namespace certman::crypto
