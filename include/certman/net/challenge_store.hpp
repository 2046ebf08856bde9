// The HTTP-01 challenge store (RFC 8555 §8.3): token → key authorization, held in memory and read by the
// public server for GET /.well-known/acme-challenge/<token>. The ACME driver publishes before it answers a
// challenge and removes afterwards. Single-threaded (one io_context): no locking.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace certman::net {

class challenge_store {
public:
    // Publishes a key authorization. Returns false (and stores nothing) when the token is not base64url.
    bool put(std::string_view token, std::string_view key_authorization);
    // Removes a token; removing an absent token is fine.
    void remove(std::string_view token);
    // The key authorization for a token, or nullopt. The view is valid until the next put/remove.
    std::optional<std::string_view> find(std::string_view token) const;
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::string, hash, std::equal_to<>> entries_;
};

}  // namespace certman::net
