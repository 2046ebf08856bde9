#include "certman/crypto/private_key.hpp"
#include <openssl/core_names.h>
#include <openssl/rsa.h>

namespace certman::crypto {
namespace {

// The curve of an EC key as OpenSSL names it ("prime256v1", "secp384r1"), or "" when it has none.
std::string ec_group_name(const EVP_PKEY* pkey) {
    char name[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) return {};
    return std::string(name, len);
}

bool has_private_part(const EVP_PKEY* pkey) {
    BIGNUM* secret = nullptr;
    const char* param = EVP_PKEY_is_a(pkey, "RSA") ? OSSL_PKEY_PARAM_RSA_D : OSSL_PKEY_PARAM_PRIV_KEY;
    bool ok = EVP_PKEY_get_bn_param(pkey, param, &secret) == 1;
    BN_clear_free(secret);
    return ok;
}

}  // namespace

result<key_type> key_type_of(const EVP_PKEY* pkey) {
    if (pkey == nullptr) return errc::invalid_argument;
    if (EVP_PKEY_is_a(pkey, "EC")) {
        std::string group = ec_group_name(pkey);
        if (group == "prime256v1" || group == "P-256") return key_type::ec256;
        if (group == "secp384r1" || group == "P-384") return key_type::ec384;
        return errc::unsupported;
    }
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        switch (EVP_PKEY_get_bits(pkey)) {
        case 2048: return key_type::rsa2048;
        case 3072: return key_type::rsa3072;
        case 4096: return key_type::rsa4096;
        default: return errc::unsupported;
        }
    }
    return errc::unsupported;
}

result<private_key> private_key::adopt(evp_pkey_ptr pkey) {
    if (!pkey) return errc::invalid_argument;
    auto type = key_type_of(pkey.get());
    if (!type) return type.error();
    if (!has_private_part(pkey.get())) {
        crypto_failure();  // drains the queue; the caller's mistake is what we report
        return errc::invalid_argument;
    }
    return private_key(std::move(pkey), *type);
}

// Copies share one EVP_PKEY (OpenSSL keys are immutable once built); a moved-from source stays empty.
private_key::private_key(const private_key& other) : type_(other.type_) {
    if (other.pkey_ && EVP_PKEY_up_ref(other.pkey_.get()) == 1) pkey_.reset(other.pkey_.get());
}

private_key& private_key::operator=(const private_key& other) {
    if (this != &other) *this = private_key(other);
    return *this;
}

bool operator==(const private_key& a, const private_key& b) noexcept {
    return EVP_PKEY_eq(a.native(), b.native()) == 1;
}

result<private_key> generate_key(key_type type) {
    EVP_PKEY* raw = nullptr;
    switch (type) {
    case key_type::ec256: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case key_type::ec384: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
    case key_type::rsa2048: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}); break;
    case key_type::rsa3072: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{3072}); break;
    case key_type::rsa4096: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{4096}); break;
    }
    if (raw == nullptr) return crypto_failure();
    return private_key::adopt(evp_pkey_ptr(raw));
}

}  // namespace certman::crypto
