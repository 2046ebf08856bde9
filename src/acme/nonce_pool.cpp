#include "certman/acme/nonce_pool.hpp"
#include <algorithm>
#include "certman/core/base64url.hpp"

namespace certman::acme {

bool nonce_pool::add(std::string_view nonce) {
    while (!nonce.empty() && (nonce.front() == ' ' || nonce.front() == '\t')) nonce.remove_prefix(1);
    while (!nonce.empty() && (nonce.back() == ' ' || nonce.back() == '\t')) nonce.remove_suffix(1);
    if (!is_base64url_token(nonce)) return false;
    if (std::find(nonces_.begin(), nonces_.end(), nonce) != nonces_.end()) return false;
    if (nonces_.size() == capacity_) nonces_.pop_front();
    nonces_.emplace_back(nonce);
    return true;
}

std::optional<std::string> nonce_pool::take() {
    if (nonces_.empty()) return std::nullopt;
    std::string n = std::move(nonces_.front());
    nonces_.pop_front();
    return n;
}

}  // namespace certman::acme
