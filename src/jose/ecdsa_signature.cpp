#include "certman/jose/ecdsa_signature.hpp"
#include "certman/crypto/openssl_handles.hpp"

namespace certman::jose {

result<std::string> ecdsa_der_to_jose(std::string_view der, std::size_t coordinate_size) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    crypto::ecdsa_sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig) {
        crypto::crypto_failure();
        return errc::invalid_argument;
    }
    if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return errc::invalid_argument;
    const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
    const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
    std::string out(2 * coordinate_size, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    const int size = static_cast<int>(coordinate_size);
    // BN_bn2binpad fails (-1) when the number does not fit: that is an r or s from another curve.
    if (BN_bn2binpad(r, bytes, size) != size || BN_bn2binpad(s, bytes + size, size) != size) {
        crypto::crypto_failure();
        return errc::invalid_argument;
    }
    return out;
}

result<std::string> ecdsa_jose_to_der(std::string_view rs) {
    if (rs.empty() || rs.size() % 2 != 0) return errc::invalid_argument;
    const int half = static_cast<int>(rs.size() / 2);
    const auto* bytes = reinterpret_cast<const unsigned char*>(rs.data());
    crypto::bignum_ptr r(BN_bin2bn(bytes, half, nullptr));
    crypto::bignum_ptr s(BN_bin2bn(bytes + half, half, nullptr));
    crypto::ecdsa_sig_ptr sig(ECDSA_SIG_new());
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return crypto::crypto_failure();
    r.release();  // owned by sig now
    s.release();
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) return crypto::crypto_failure();
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace certman::jose
