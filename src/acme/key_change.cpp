#include "certman/acme/key_change.hpp"
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include "certman/core/errc.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/jws.hpp"

namespace certman::acme {

std::string key_change_inner_payload(std::string_view account_url, const crypto::private_key& old_key) {
    boost::json::object o;
    o["account"] = account_url;
    o["oldKey"] = jose::public_jwk(old_key);
    return boost::json::serialize(o);
}

result<std::string> key_change_payload(const crypto::private_key& new_key, const crypto::private_key& old_key,
                                       std::string_view account_url, std::string_view key_change_url) {
    if (account_url.empty() || key_change_url.empty() || new_key == old_key) return errc::invalid_argument;
    // §7.3.5: the inner JWS carries "jwk" (not "kid") and MUST NOT carry "nonce".
    jose::jws_header h;
    h.url = std::string(key_change_url);
    return jose::sign_jws(new_key, h, key_change_inner_payload(account_url, old_key));
}

}  // namespace certman::acme
