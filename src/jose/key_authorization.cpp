#include "certman/jose/key_authorization.hpp"

namespace certman::jose {

std::string key_authorization(std::string_view token, std::string_view thumbprint) {
    std::string out;
    out.reserve(token.size() + 1 + thumbprint.size());
    out.append(token).append(".").append(thumbprint);
    return out;
}

}  // namespace certman::jose
