#include <openssl/pem.h>
#include "certman/crypto/certificate.hpp"
#include "load_certificate.hpp"

namespace certman::crypto {
namespace detail {

result<x509_ptr> load_certificate(std::string_view input) {
    std::size_t start = input.find_first_not_of(" \t\r\n");
    if (start != std::string_view::npos && input.substr(start).starts_with("-----BEGIN")) {
        bio_ptr in = make_read_bio(input);
        if (!in) return crypto_failure();
        x509_ptr cert(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
        if (!cert) return parse_failure();
        return cert;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(input.data());
    x509_ptr cert(d2i_X509(nullptr, &p, static_cast<long>(input.size())));
    if (!cert) return parse_failure();
    if (p != reinterpret_cast<const unsigned char*>(input.data()) + input.size()) return errc::parse_error;
    return cert;
}

}  // namespace detail

result<std::vector<std::string>> split_pem_chain(std::string_view pem) {
    static constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
    static constexpr std::string_view end = "-----END CERTIFICATE-----";
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = pem.find(begin, pos)) != std::string_view::npos) {
        std::size_t stop = pem.find(end, pos);
        if (stop == std::string_view::npos) return errc::parse_error;
        stop += end.size();
        auto cert = detail::load_certificate(pem.substr(pos, stop - pos));
        if (!cert) return cert.error();
        bio_ptr buf = make_write_bio();
        if (!buf || PEM_write_bio_X509(buf.get(), cert->get()) != 1) return crypto_failure();
        out.push_back(bio_contents(buf.get()));
        pos = stop;
    }
    if (out.empty()) return errc::parse_error;
    return out;
}

bool key_matches_certificate(const private_key& key, std::string_view cert_pem) {
    auto cert = detail::load_certificate(cert_pem);
    if (!cert) return false;
    const EVP_PKEY* pub = X509_get0_pubkey(cert->get());
    return pub != nullptr && EVP_PKEY_eq(pub, key.native()) == 1;
}

}  // namespace certman::crypto
