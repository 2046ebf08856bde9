#include "certman/crypto/key_type.hpp"

namespace certman::crypto {

std::string_view to_string(key_type t) noexcept {
    switch (t) {
    case key_type::ec256: return "ec256";
    case key_type::ec384: return "ec384";
    case key_type::rsa2048: return "rsa2048";
    case key_type::rsa3072: return "rsa3072";
    case key_type::rsa4096: return "rsa4096";
    }
    return "unknown";
}

result<key_type> parse_key_type(std::string_view name) {
    if (name.empty()) return key_type::ec256;
    for (key_type t : {key_type::ec256, key_type::ec384, key_type::rsa2048, key_type::rsa3072, key_type::rsa4096}) {
        if (to_string(t) == name) return t;
    }
    return errc::invalid_argument;
}

bool is_rsa(key_type t) noexcept {
    return t == key_type::rsa2048 || t == key_type::rsa3072 || t == key_type::rsa4096;
}

}  // namespace certman::crypto
