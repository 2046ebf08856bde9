// Test helper: the RFC 7515 Appendix A and RFC 7638 §3.1 vectors in tests/fixtures/jose/rfc7515_keys.json.
#pragma once
#include <boost/json/parse.hpp>
#include <string>
#include "../crypto/fixture_file.hpp"

namespace certman::test {
inline const boost::json::object& rfc_vectors() {
    static const boost::json::object doc = boost::json::parse(fixture_file("jose/rfc7515_keys.json")).as_object();
    return doc;
}
inline const boost::json::object& rfc_vector(const char* name) { return rfc_vectors().at(name).as_object(); }
inline std::string rfc_string(const char* vector, const char* field) {
    return std::string(rfc_vector(vector).at(field).as_string());
}
// The RFC 7515 Appendix A JWS Signing Input for a vector: protected '.' payload.
inline std::string rfc_signing_input(const char* vector) {
    return rfc_string(vector, "protected_b64") + "." + std::string(rfc_vectors().at("payload_b64").as_string());
}
// A JWK with only the public members kept.
inline boost::json::object public_members(const boost::json::object& jwk) {
    boost::json::object out;
    for (const char* m : {"kty", "crv", "x", "y", "n", "e"}) {
        if (const auto* v = jwk.if_contains(m)) out[m] = *v;
    }
    return out;
}
}  // namespace certman::test
