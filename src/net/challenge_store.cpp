#include "certman/net/challenge_store.hpp"
#include "certman/core/base64url.hpp"

namespace certman::net {

bool challenge_store::put(std::string_view token, std::string_view key_authorization) {
    if (!is_base64url_token(token)) return false;
    entries_.insert_or_assign(std::string(token), std::string(key_authorization));
    return true;
}

void challenge_store::remove(std::string_view token) {
    auto it = entries_.find(token);
    if (it != entries_.end()) entries_.erase(it);
}

std::optional<std::string_view> challenge_store::find(std::string_view token) const {
    auto it = entries_.find(token);
    if (it == entries_.end()) return std::nullopt;
    return std::string_view(it->second);
}
}  // namespace certman::net
