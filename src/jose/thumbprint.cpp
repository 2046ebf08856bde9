#include "certman/jose/thumbprint.hpp"
#include <boost/json/serialize.hpp>
#include <span>
#include <stdexcept>
#include "certman/core/base64url.hpp"
#include "certman/crypto/digest.hpp"
#include "certman/jose/jwk.hpp"

namespace certman::jose {
namespace {

// RFC 7638 §3.3: the hash input is the UTF-8 of the JSON with the required members only, sorted, no
// whitespace. Boost.JSON keeps insertion order and writes no whitespace, so inserting in order suffices.
result<std::string> canonical(const boost::json::object& jwk) {
    const auto* kty = jwk.if_contains("kty");
    if (kty == nullptr || !kty->is_string()) return errc::invalid_argument;
    static constexpr std::string_view ec_members[] = {"crv", "kty", "x", "y"};
    static constexpr std::string_view rsa_members[] = {"e", "kty", "n"};
    std::span<const std::string_view> required;
    if (kty->get_string() == "EC") required = ec_members;
    else if (kty->get_string() == "RSA") required = rsa_members;
    else return errc::unsupported;
    boost::json::object out;
    for (std::string_view name : required) {
        const auto* v = jwk.if_contains(name);
        if (v == nullptr || !v->is_string()) return errc::invalid_argument;
        out[name] = *v;
    }
    return boost::json::serialize(out);
}

}  // namespace

result<std::string> jwk_thumbprint(const boost::json::object& jwk) {
    auto text = canonical(jwk);
    if (!text) return text.error();
    auto digest = crypto::sha256(*text);
    if (!digest) return digest.error();
    return base64url_encode(*digest);
}

std::string jwk_thumbprint(const crypto::private_key& key) {
    auto t = jwk_thumbprint(public_jwk(key));
    if (!t) throw std::runtime_error("JWK thumbprint failed: " + t.error().message());
    return *t;
}

}  // namespace certman::jose
