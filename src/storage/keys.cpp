#include "certman/storage/keys.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace certman::storage {
namespace {

bool is_safe_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool is_valid_component(std::string_view c) noexcept {
    if (c.empty() || c.front() == '.') return false;
    for (char ch : c) {
        if (!is_safe_char(ch)) return false;
    }
    return true;
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    // SHA-256 of a short string cannot fail short of memory exhaustion; an empty digest would still
    // yield a valid (if less unique) key, so the return value only trims the output.
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) len = 0;
    return hex(std::string_view(reinterpret_cast<const char*>(md.data()), len));
}

// The authority part of a URL ("host[:port]"), or the whole text when it has no "scheme://".
std::string_view url_authority(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return url;
    url.remove_prefix(scheme_end + 3);
    auto end = url.find_first_of("/?#");
    if (end != std::string_view::npos) url = url.substr(0, end);
    auto at = url.rfind('@');  // never put credentials into a key
    if (at != std::string_view::npos) url.remove_prefix(at + 1);
    return url;
}

}  // namespace

std::string sanitize_component(std::string_view raw) {
    std::string out;
    out.reserve(std::min(raw.size(), max_component_length));
    for (char c : raw) {
        if (out.size() == max_component_length) break;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out.push_back(is_safe_char(c) ? c : '_');
    }
    if (out.empty()) out = "_";
    if (out.front() == '.') out.front() = '_';
    return out;
}

bool is_valid_key(std::string_view key) noexcept {
    if (key.empty() || key.size() > 1024) return false;
    while (true) {
        auto slash = key.find('/');
        if (!is_valid_component(key.substr(0, slash))) return false;
        if (slash == std::string_view::npos) return true;
        key.remove_prefix(slash + 1);
    }
}

bool is_valid_prefix(std::string_view prefix) noexcept {
    if (prefix.empty()) return true;
    if (prefix.back() == '/') prefix.remove_suffix(1);
    return is_valid_key(prefix);
}

std::string certificate_key(std::string_view name) {
    return std::string(certificates_prefix) + sanitize_component(name) + ".json";
}

std::string account_prefix(std::string_view directory_url) {
    std::string dir = sanitize_component(url_authority(directory_url));
    if (dir.size() > max_component_length - 17) dir.resize(max_component_length - 17);
    dir += '-';
    dir += sha256_hex(directory_url).substr(0, 16);
    return std::string(accounts_prefix) + dir + "/";
}

std::string account_key(std::string_view directory_url) { return account_prefix(directory_url) + "account-key.pem"; }

std::string pending_account_key(std::string_view directory_url) {
    return account_prefix(directory_url) + "account-key.next.pem";
}

std::string legacy_account_key(std::string_view directory_url) { return account_prefix(directory_url) + "account.json"; }

std::string state_key(std::string_view name) {
    return std::string(state_prefix) + sanitize_component(name) + ".json";
}

std::string lease_key(std::string_view name) {
    return std::string(leases_prefix) + sanitize_component(name) + ".json";
}

std::string challenge_key(std::string_view token) {
    // Hex doubles the length; a token long enough to exceed a component is not a real ACME token, and
    // its SHA-256 keeps the key bounded and still distinct.
    std::string h = token.size() * 2 <= max_component_length ? hex(token) : "sha256-" + sha256_hex(token);
    if (h.empty()) h = "_";
    return std::string(challenges_prefix) + h;
}

}  // namespace certman::storage
