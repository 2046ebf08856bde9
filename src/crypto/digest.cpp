#include "certman/crypto/digest.hpp"
#include <openssl/evp.h>
#include <openssl/err.h>

namespace certman::crypto {
namespace {

result<std::string> digest(const char* name, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (EVP_Q_digest(nullptr, name, nullptr, data.data(), data.size(), out, &len) != 1) {
        ERR_clear_error();
        return errc::crypto_error;
    }
    return std::string(reinterpret_cast<const char*>(out), len);
}

result<std::string> hmac(const char* digest_name, std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    // EVP_Q_mac refuses a null key pointer even for length 0; any valid address will do.
    static const unsigned char no_key = 0;
    const void* key_ptr = key.empty() ? static_cast<const void*>(&no_key) : key.data();
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest_name, nullptr, key_ptr, key.size(),
                  reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out,
                  &len) == nullptr) {
        ERR_clear_error();
        return errc::crypto_error;
    }
    return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

result<std::string> sha256(std::string_view data) { return digest("SHA256", data); }
result<std::string> sha1(std::string_view data) { return digest("SHA1", data); }
result<std::string> hmac_sha256(std::string_view key, std::string_view data) { return hmac("SHA256", key, data); }
result<std::string> hmac_sha1(std::string_view key, std::string_view data) { return hmac("SHA1", key, data); }

}  // namespace certman::crypto
