// Anti-replay nonces (RFC 8555 §6.5): every response's Replay-Nonce header is stored so the next JWS rarely
// needs a HEAD to newNonce. Bounded and FIFO: when full the oldest nonce is dropped (the CA may have expired it
// anyway) and take() hands out the oldest, so none lingers. Pure value type; one per ACME server.
#pragma once
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace certman::acme {

class nonce_pool {
public:
    explicit nonce_pool(std::size_t capacity = 16) : capacity_(capacity == 0 ? 1 : capacity) {}

    // Stores a Replay-Nonce header value. §6.5.1: the value must be base64url; anything else is ignored and
    // add() returns false (a broken proxy must not make us send garbage). Duplicates are ignored too.
    bool add(std::string_view nonce);
    // The oldest stored nonce, removed from the pool; nullopt when empty (the driver then asks newNonce).
    std::optional<std::string> take();

    std::size_t size() const noexcept { return nonces_.size(); }
    std::size_t capacity() const noexcept { return capacity_; }
    // After a badNonce the CA may have rotated its keys: the driver can drop everything.
    void clear() noexcept { nonces_.clear(); }

private:
    std::size_t capacity_;
    std::deque<std::string> nonces_;
};

}  // namespace certman::acme
