#include "certman/jose/eab.hpp"
#include <boost/json/serialize.hpp>
#include <openssl/crypto.h>
#include "certman/core/base64url.hpp"
#include "certman/crypto/digest.hpp"
#include "certman/jose/jws.hpp"

namespace certman::jose {

result<boost::json::object> eab_jws(std::string_view eab_kid, std::string_view hmac_key_b64url,
                                    const boost::json::object& account_jwk, std::string_view new_account_url) {
    if (eab_kid.empty() || new_account_url.empty()) return errc::invalid_argument;
    auto mac_key = base64url_decode(hmac_key_b64url);
    if (!mac_key || mac_key->empty()) return errc::invalid_argument;
    boost::json::object header;
    header["alg"] = "HS256";
    header["kid"] = eab_kid;
    header["url"] = new_account_url;
    const std::string protected_b64 = base64url_encode(boost::json::serialize(header));
    const std::string payload_b64 = base64url_encode(boost::json::serialize(account_jwk));
    auto mac = crypto::hmac_sha256(*mac_key, protected_b64 + "." + payload_b64);
    if (!mac) return mac.error();
    boost::json::object jws;
    jws["protected"] = protected_b64;
    jws["payload"] = payload_b64;
    jws["signature"] = base64url_encode(*mac);
    return jws;
}

result<void> verify_hs256(const parsed_jws& jws, std::string_view hmac_key) {
    const auto* alg = jws.header.if_contains("alg");
    if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") return errc::unsupported;
    auto mac = crypto::hmac_sha256(hmac_key, jws.signing_input);
    if (!mac) return mac.error();
    if (mac->size() != jws.signature.size() || CRYPTO_memcmp(mac->data(), jws.signature.data(), mac->size()) != 0) {
        return errc::crypto_error;
    }
    return {};
}

}  // namespace certman::jose
