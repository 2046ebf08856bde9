#include "certman/crypto/pem.hpp"
#include <openssl/encoder.h>
#include <openssl/pem.h>

namespace certman::crypto {

result<std::string> to_pem(const private_key& key) {
    bio_ptr out = make_write_bio();
    if (!out) return crypto_failure();
    // PEM_write_bio_PrivateKey writes PKCS#8 (PrivateKeyInfo) in OpenSSL 3.
    if (PEM_write_bio_PrivateKey(out.get(), key.native(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return crypto_failure();
    }
    return bio_contents(out.get());
}

result<std::string> to_pkcs1_pem(const private_key& key) {
    if (!is_rsa(key.type())) return errc::unsupported;
    // The "type-specific" structure of an RSA key pair is RSAPrivateKey (PKCS#1); its PEM label is
    // "RSA PRIVATE KEY".
    OSSL_ENCODER_CTX* raw = OSSL_ENCODER_CTX_new_for_pkey(key.native(), EVP_PKEY_KEYPAIR, "PEM",
                                                         "type-specific", nullptr);
    std::unique_ptr<OSSL_ENCODER_CTX, openssl_deleter<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free>> ctx(raw);
    if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0) return crypto_failure();
    bio_ptr out = make_write_bio();
    if (!out || OSSL_ENCODER_to_bio(ctx.get(), out.get()) != 1) return crypto_failure();
    return bio_contents(out.get());
}

result<private_key> private_key_from_pem(std::string_view pem) {
    bio_ptr in = make_read_bio(pem);
    if (!in) return crypto_failure();
    // A null password callback with an empty passphrase makes encrypted keys fail instead of prompting.
    static char empty[] = "";
    EVP_PKEY* raw = PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, empty);
    if (raw == nullptr) return parse_failure();
    return private_key::adopt(evp_pkey_ptr(raw));
}

}  // namespace certman::crypto
