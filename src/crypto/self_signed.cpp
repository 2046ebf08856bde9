#include "certman/crypto/self_signed.hpp"
#include <openssl/pem.h>
#include <ctime>
#include "certman/crypto/digest.hpp"
#include "subject_names.hpp"

namespace certman::crypto {
namespace {

// A serial that is a function of the inputs, so pure code needs no randomness: 16 bytes of SHA-256 over the
// public key and the request, top bit cleared (positive) and the next set (exactly 16 octets, RFC 5280 §4.1.2.2).
result<asn1_integer_ptr> derive_serial(const private_key& key, const std::vector<std::string>& names,
                                       std::chrono::sys_seconds from, std::chrono::seconds valid_for) {
    unsigned char* spki = nullptr;
    int len = i2d_PUBKEY(key.native(), &spki);
    if (len <= 0) return crypto_failure();
    std::string input(reinterpret_cast<const char*>(spki), static_cast<std::size_t>(len));
    OPENSSL_free(spki);
    for (const auto& n : names) input += n + '\n';
    input += std::to_string(from.time_since_epoch().count()) + '/' + std::to_string(valid_for.count());
    auto digest = sha256(input);
    if (!digest) return digest.error();
    auto* bytes = reinterpret_cast<unsigned char*>(digest->data());
    bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x40);
    bignum_ptr bn(BN_bin2bn(bytes, 16, nullptr));
    if (!bn) return crypto_failure();
    asn1_integer_ptr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    if (!serial) return crypto_failure();
    return serial;
}

error_code set_validity(X509* cert, std::chrono::sys_seconds from, std::chrono::seconds valid_for) {
    auto until = from + valid_for;
    if (ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(from.time_since_epoch().count())) == nullptr ||
        ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(until.time_since_epoch().count())) == nullptr) {
        return crypto_failure();
    }
    return {};
}

error_code add_extensions(X509* cert, const std::vector<std::string>& names) {
    auto san = detail::make_san_extension(names);
    if (!san) return san.error().code();
    if (X509_add_ext(cert, san->get(), -1) != 1) return crypto_failure();
    BASIC_CONSTRAINTS* bc = BASIC_CONSTRAINTS_new();
    if (bc == nullptr) return crypto_failure();
    bc->ca = 0;
    int ok = X509_add1_ext_i2d(cert, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT);
    BASIC_CONSTRAINTS_free(bc);
    if (ok != 1) return crypto_failure();
    return {};
}

}  // namespace

result<std::string> make_self_signed(const private_key& key, const std::vector<std::string>& names,
                                     std::chrono::sys_seconds valid_from, std::chrono::seconds valid_for) {
    if (auto ec = detail::check_names(names)) return ec;
    if (valid_for <= std::chrono::seconds::zero()) return errc::invalid_argument;
    x509_ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return crypto_failure();
    auto serial = derive_serial(key, names, valid_from, valid_for);
    if (!serial) return serial.error();
    auto subject = detail::make_subject(names);
    if (!subject) return subject.error();
    if (X509_set_serialNumber(cert.get(), serial->get()) != 1 ||
        X509_set_subject_name(cert.get(), subject->get()) != 1 ||
        X509_set_issuer_name(cert.get(), subject->get()) != 1 || X509_set_pubkey(cert.get(), key.native()) != 1) {
        return crypto_failure();
    }
    if (auto ec = set_validity(cert.get(), valid_from, valid_for)) return ec;
    if (auto ec = add_extensions(cert.get(), names)) return ec;
    if (X509_sign(cert.get(), key.native(), EVP_sha256()) <= 0) return crypto_failure();
    bio_ptr out = make_write_bio();
    if (!out || PEM_write_bio_X509(out.get(), cert.get()) != 1) return crypto_failure();
    return bio_contents(out.get());
}

}  // namespace certman::crypto
