// private_key: an owned OpenSSL key of one of the supported key_types. The rest of certman passes this
// value around instead of raw EVP_PKEY pointers. Copies share the same immutable OpenSSL object (reference
// counted), so copying is cheap and safe. The key's bytes are never printed by this module.
#pragma once
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/openssl_handles.hpp"

namespace certman::crypto {

class private_key {
public:
    // Takes ownership of a key that holds private material. A key whose algorithm or size is not one of the
    // key_types → errc::unsupported; null or public-only → errc::invalid_argument.
    static result<private_key> adopt(evp_pkey_ptr pkey);

    private_key(const private_key& other);
    private_key& operator=(const private_key& other);
    private_key(private_key&&) noexcept = default;
    private_key& operator=(private_key&&) noexcept = default;
    ~private_key() = default;

    key_type type() const noexcept { return type_; }
    // The OpenSSL object, for the crypto and jose layers. Owned by this value; null only after a move.
    EVP_PKEY* native() const noexcept { return pkey_.get(); }

    // Same public key (and so the same private key).
    friend bool operator==(const private_key& a, const private_key& b) noexcept;

private:
    private_key(evp_pkey_ptr pkey, key_type type) noexcept : pkey_(std::move(pkey)), type_(type) {}
    evp_pkey_ptr pkey_;
    key_type type_;
};

// The key_type of any OpenSSL key (public or private): P-256 → ec256, P-384 → ec384, RSA 2048/3072/4096.
// Anything else → errc::unsupported.
result<key_type> key_type_of(const EVP_PKEY* pkey);

// Generates a fresh key (randomness from OpenSSL's CSPRNG). OpenSSL failure → errc::crypto_error.
result<private_key> generate_key(key_type type);

}  // namespace certman::crypto
