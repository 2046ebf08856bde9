#include "certman/jose/jwk.hpp"
#include <openssl/core_names.h>
#include <stdexcept>
#include <vector>
#include "certman/core/base64url.hpp"

namespace certman::jose {
namespace {

using crypto::bignum_ptr;
using crypto::crypto_failure;

std::size_t coordinate_size(crypto::key_type t) { return t == crypto::key_type::ec384 ? 48 : 32; }

// A BIGNUM parameter of the key as big-endian bytes: left-padded to `pad` bytes, or minimal when pad is 0.
std::string bn_param(EVP_PKEY* pkey, const char* name, std::size_t pad) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) throw std::runtime_error("OpenSSL: missing key parameter");
    bignum_ptr bn(raw);
    std::size_t len = pad != 0 ? pad : static_cast<std::size_t>(BN_num_bytes(bn.get()));
    std::string out(len, '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(len)) < 0) {
        throw std::runtime_error("OpenSSL: key parameter too large");
    }
    return out;
}

// A required base64url string member, decoded.
result<std::string> member(const boost::json::object& jwk, std::string_view name) {
    const auto* v = jwk.if_contains(name);
    if (v == nullptr || !v->is_string()) return errc::invalid_argument;
    auto bytes = base64url_decode(v->get_string());
    if (!bytes || bytes->empty()) return errc::invalid_argument;
    return bytes;
}

// Builds an EVP_PKEY of `algorithm` from OSSL parameters (OpenSSL 3 provider API).
result<crypto::evp_pkey_ptr> from_params(const char* algorithm, OSSL_PARAM_BLD* bld, bool has_private) {
    crypto::ossl_param_ptr params(OSSL_PARAM_BLD_to_param(bld));
    crypto::evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return crypto_failure();
    EVP_PKEY* raw = nullptr;
    int selection = has_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) return crypto_failure();
    return crypto::evp_pkey_ptr(raw);
}

result<crypto::evp_pkey_ptr> ec_from_jwk(const boost::json::object& jwk) {
    const auto* crv = jwk.if_contains("crv");
    if (crv == nullptr || !crv->is_string()) return errc::invalid_argument;
    std::size_t size = 0;
    const char* group = nullptr;
    if (crv->get_string() == "P-256") { size = 32; group = "P-256"; }
    else if (crv->get_string() == "P-384") { size = 48; group = "P-384"; }
    else return errc::unsupported;
    auto x = member(jwk, "x");
    auto y = member(jwk, "y");
    if (!x || !y || x->size() != size || y->size() != size) return errc::invalid_argument;
    std::string point = "\x04" + *x + *y;  // uncompressed point, SEC 1 §2.3.3
    crypto::ossl_param_bld_ptr bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
        return crypto_failure();
    }
    bignum_ptr d;
    if (jwk.contains("d")) {
        auto bytes = member(jwk, "d");
        if (!bytes || bytes->size() != size) return errc::invalid_argument;
        d.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()), static_cast<int>(size), nullptr));
        if (!d || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1) return crypto_failure();
    }
    return from_params("EC", bld.get(), d != nullptr);
}

result<crypto::evp_pkey_ptr> rsa_from_jwk(const boost::json::object& jwk) {
    // JWK member → OpenSSL parameter (RFC 7518 §6.3.1 and §6.3.2).
    static constexpr std::pair<const char*, const char*> public_members[] = {
        {"n", OSSL_PKEY_PARAM_RSA_N}, {"e", OSSL_PKEY_PARAM_RSA_E}};
    static constexpr std::pair<const char*, const char*> crt_members[] = {
        {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
        {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1}, {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
        {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
    crypto::ossl_param_bld_ptr bld(OSSL_PARAM_BLD_new());
    if (!bld) return crypto_failure();
    std::vector<bignum_ptr> keep;  // the builder references the BIGNUMs until to_param
    auto push = [&](const char* jwk_name, const char* param) -> error_code {
        auto bytes = member(jwk, jwk_name);
        if (!bytes) return bytes.error().code();
        keep.emplace_back(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                                    static_cast<int>(bytes->size()), nullptr));
        if (!keep.back() || OSSL_PARAM_BLD_push_BN(bld.get(), param, keep.back().get()) != 1) return crypto_failure();
        return {};
    };
    for (auto [name, param] : public_members) {
        if (auto ec = push(name, param)) return ec;
    }
    const bool has_private = jwk.contains("d");
    if (has_private) {
        if (auto ec = push("d", OSSL_PKEY_PARAM_RSA_D)) return ec;
        if (jwk.contains("p")) {
            for (auto [name, param] : crt_members) {
                if (auto ec = push(name, param)) return ec;
            }
        }
    }
    return from_params("RSA", bld.get(), has_private);
}

}  // namespace

boost::json::object public_jwk(const crypto::private_key& key) {
    EVP_PKEY* pkey = key.native();
    boost::json::object jwk;
    if (crypto::is_rsa(key.type())) {
        jwk["e"] = base64url_encode(bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0));
        jwk["kty"] = "RSA";
        jwk["n"] = base64url_encode(bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0));
    } else {
        std::size_t size = coordinate_size(key.type());
        jwk["crv"] = key.type() == crypto::key_type::ec384 ? "P-384" : "P-256";
        jwk["kty"] = "EC";
        jwk["x"] = base64url_encode(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size));
        jwk["y"] = base64url_encode(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size));
    }
    return jwk;
}

result<crypto::evp_pkey_ptr> key_from_jwk(const boost::json::object& jwk) {
    const auto* kty = jwk.if_contains("kty");
    if (kty == nullptr || !kty->is_string()) return errc::invalid_argument;
    if (kty->get_string() == "EC") return ec_from_jwk(jwk);
    if (kty->get_string() == "RSA") return rsa_from_jwk(jwk);
    return errc::unsupported;
}

result<crypto::private_key> private_key_from_jwk(const boost::json::object& jwk) {
    if (!jwk.contains("d")) return errc::invalid_argument;
    auto pkey = key_from_jwk(jwk);
    if (!pkey) return pkey.error();
    return crypto::private_key::adopt(std::move(*pkey));
}

}  // namespace certman::jose
