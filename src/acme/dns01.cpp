// DNS-01 record name and value (contract in include/certman/acme/dns01.hpp).
#include "certman/acme/dns01.hpp"

#include "certman/core/base64url.hpp"
#include "certman/crypto/digest.hpp"

namespace certman::acme {

std::string dns01_record_name(std::string_view identifier_value) {
    if (identifier_value.starts_with("*.")) identifier_value.remove_prefix(2);
    while (identifier_value.ends_with('.')) identifier_value.remove_suffix(1);
    return "_acme-challenge." + std::string(identifier_value);
}

result<std::string> dns01_txt_value(std::string_view key_authorization) {
    auto digest = crypto::sha256(key_authorization);
    if (!digest) return digest.error();
    return base64url_encode(*digest);
}

}  // namespace certman::acme
