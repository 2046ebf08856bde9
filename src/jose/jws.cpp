#include "certman/jose/jws.hpp"
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include "certman/core/base64url.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/signature.hpp"

namespace certman::jose {
namespace {

// RFC 8555 §6.2: alg, then exactly one of jwk/kid, nonce, url.
boost::json::object protected_header(const crypto::private_key& key, const jws_header& h) {
    boost::json::object header;
    header["alg"] = jws_alg(key.type());
    if (h.kid) header["kid"] = *h.kid;
    else header["jwk"] = public_jwk(key);
    if (h.nonce) header["nonce"] = *h.nonce;
    header["url"] = h.url;
    return header;
}

result<std::string> string_member(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return errc::parse_error;
    return std::string(v->get_string());
}

}  // namespace

result<std::string> sign_jws(const crypto::private_key& key, const jws_header& h, std::string_view payload) {
    if (h.url.empty()) return errc::invalid_argument;
    const std::string protected_b64 = base64url_encode(boost::json::serialize(protected_header(key, h)));
    const std::string payload_b64 = base64url_encode(payload);
    auto sig = sign_input(key, protected_b64 + "." + payload_b64);
    if (!sig) return sig.error();
    boost::json::object jws;
    jws["protected"] = protected_b64;
    jws["payload"] = payload_b64;
    jws["signature"] = base64url_encode(*sig);
    return boost::json::serialize(jws);
}

result<parsed_jws> parse_jws(std::string_view flattened_json) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(flattened_json, ec);
    if (ec || !doc.is_object()) return errc::parse_error;
    const auto& obj = doc.get_object();
    if (obj.contains("header")) return errc::parse_error;
    auto protected_b64 = string_member(obj, "protected");
    auto payload_b64 = string_member(obj, "payload");
    auto signature_b64 = string_member(obj, "signature");
    if (!protected_b64 || !payload_b64 || !signature_b64) return errc::parse_error;
    auto header_text = base64url_decode(*protected_b64);
    auto payload = base64url_decode(*payload_b64);
    auto signature = base64url_decode(*signature_b64);
    if (!header_text || !payload || !signature) return errc::parse_error;
    boost::json::value header = boost::json::parse(*header_text, ec);
    if (ec || !header.is_object()) return errc::parse_error;
    return parsed_jws{std::move(header.get_object()), std::move(*payload), *protected_b64 + "." + *payload_b64,
                      std::move(*signature)};
}

result<void> verify_jws(const parsed_jws& jws, const boost::json::object& jwk) {
    auto alg = string_member(jws.header, "alg");
    if (!alg) return alg.error();
    auto key = key_from_jwk(jwk);
    if (!key) return key.error();
    return verify_input(key->get(), *alg, jws.signing_input, jws.signature);
}

result<parsed_jws> verify_jws(std::string_view flattened_json, const boost::json::object& jwk) {
    auto jws = parse_jws(flattened_json);
    if (!jws) return jws.error();
    if (auto ok = verify_jws(*jws, jwk); !ok) return ok.error();
    return jws;
}

}  // namespace certman::jose
