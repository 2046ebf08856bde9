#include "certman/crypto/openssl_handles.hpp"
#include <openssl/err.h>

namespace certman::crypto {

bio_ptr make_read_bio(std::string_view data) {
    return bio_ptr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

bio_ptr make_write_bio() { return bio_ptr(BIO_new(BIO_s_mem())); }

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || data == nullptr) return {};
    return std::string(data, static_cast<std::size_t>(len));
}

error_code crypto_failure() noexcept {
    ERR_clear_error();
    return errc::crypto_error;
}

error_code parse_failure() noexcept {
    ERR_clear_error();
    return errc::parse_error;
}

}  // namespace certman::crypto
