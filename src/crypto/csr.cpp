#include "certman/crypto/csr.hpp"
#include "subject_names.hpp"

namespace certman::crypto {
namespace {

using extension_stack_ptr = std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](STACK_OF(X509_EXTENSION)* s) {
                                                sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
                                            })>;

// PKCS#10 carries extensions in an extensionRequest attribute (RFC 2985 §5.4.2).
error_code add_extension_request(X509_REQ* req, const std::vector<std::string>& names) {
    auto san = detail::make_san_extension(names);
    if (!san) return san.error().code();
    extension_stack_ptr exts(sk_X509_EXTENSION_new_null());
    if (!exts || sk_X509_EXTENSION_push(exts.get(), san->get()) == 0) return crypto_failure();
    san->release();
    if (X509_REQ_add_extensions(req, exts.get()) != 1) return crypto_failure();
    return {};
}

}  // namespace

result<std::string> make_csr_der(const private_key& key, const std::vector<std::string>& names) {
    if (auto ec = detail::check_names(names)) return ec;
    x509_req_ptr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1) return crypto_failure();
    auto subject = detail::make_subject(names);
    if (!subject) return subject.error();
    if (X509_REQ_set_subject_name(req.get(), subject->get()) != 1) return crypto_failure();
    if (X509_REQ_set_pubkey(req.get(), key.native()) != 1) return crypto_failure();
    if (auto ec = add_extension_request(req.get(), names)) return ec;
    if (X509_REQ_sign(req.get(), key.native(), EVP_sha256()) <= 0) return crypto_failure();

    unsigned char* der = nullptr;
    int len = i2d_X509_REQ(req.get(), &der);
    if (len <= 0) return crypto_failure();
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace certman::crypto
