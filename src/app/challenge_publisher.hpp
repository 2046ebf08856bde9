// Internal: the acme::challenge_sink the renewal manager uses (memory, plus shared storage in cluster mode).
#pragma once
#include <spdlog/spdlog.h>
#include "certman/acme/client.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// Publishes key authorizations in memory and, in cluster mode (shared storage), in storage too, so that the
// load balancer may send the CA's validation request to any instance (docs/cluster-mode.md).
class challenge_publisher final : public acme::challenge_sink {
public:
    challenge_publisher(net::challenge_store& memory, storage::storage* shared) : memory_(memory), shared_(shared) {}
    boost::asio::awaitable<result<void>> publish(std::string token, std::string key_auth) override {
        if (!memory_.put(token, key_auth)) co_return errc::protocol_error;
        if (shared_) {
            auto r = co_await shared_->store(storage::challenge_key(token), key_auth);
            if (!r) {
                spdlog::error("cannot publish the challenge token to shared storage: {}", shared_->last_error());
                co_return r.error();
            }
        }
        co_return result<void>{};
    }
    boost::asio::awaitable<void> unpublish(std::string token) override {
        memory_.remove(token);
        if (shared_) co_await shared_->remove(storage::challenge_key(token));
    }
private:
    net::challenge_store& memory_;
    storage::storage* shared_;
};

}  // namespace certman::app
