#include "certman/jose/signature.hpp"
#include "certman/jose/ecdsa_signature.hpp"

namespace certman::jose {
namespace {

struct algorithm {
    const EVP_MD* digest;
    std::size_t ec_coordinate_size;  // 0 for RSA
};

algorithm algorithm_for(crypto::key_type t) {
    switch (t) {
    case crypto::key_type::ec256: return {EVP_sha256(), 32};
    case crypto::key_type::ec384: return {EVP_sha384(), 48};
    default: return {EVP_sha256(), 0};
    }
}

}  // namespace

std::string_view jws_alg(crypto::key_type type) noexcept {
    switch (type) {
    case crypto::key_type::ec256: return "ES256";
    case crypto::key_type::ec384: return "ES384";
    default: return "RS256";
    }
}

result<std::string> sign_input(const crypto::private_key& key, std::string_view signing_input) {
    const algorithm alg = algorithm_for(key.type());
    crypto::evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, alg.digest, nullptr, key.native()) != 1) {
        return crypto::crypto_failure();
    }
    const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) != 1) return crypto::crypto_failure();
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, signing_input.size()) != 1) {
        return crypto::crypto_failure();
    }
    sig.resize(len);
    if (alg.ec_coordinate_size == 0) return sig;
    return ecdsa_der_to_jose(sig, alg.ec_coordinate_size);
}

result<void> verify_input(EVP_PKEY* public_key, std::string_view alg, std::string_view signing_input,
                          std::string_view signature) {
    if (alg != "ES256" && alg != "ES384" && alg != "RS256") return errc::unsupported;
    auto type = crypto::key_type_of(public_key);
    if (!type || jws_alg(*type) != alg) return errc::invalid_argument;
    const algorithm a = algorithm_for(*type);
    std::string sig(signature);
    if (a.ec_coordinate_size != 0) {
        // R||S must be exactly two coordinates long (RFC 7518 §3.4); anything else is a bad signature.
        if (signature.size() != 2 * a.ec_coordinate_size) return errc::crypto_error;
        auto der = ecdsa_jose_to_der(signature);
        if (!der) return errc::crypto_error;
        sig = std::move(*der);
    }
    crypto::evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, a.digest, nullptr, public_key) != 1) {
        return crypto::crypto_failure();
    }
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
        return crypto::crypto_failure();
    }
    return {};
}

}  // namespace certman::jose
