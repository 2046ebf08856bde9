// HTTP-01 from memory and through shared storage (contract in include/certman/challenge/http01_solver.hpp).
#include "certman/challenge/http01_solver.hpp"
#include <spdlog/spdlog.h>
#include "certman/core/errc.hpp"
#include "certman/storage/keys.hpp"

namespace certman::challenge {
namespace {
using boost::asio::awaitable;

class http01_memory_solver final : public acme::challenge_solver {
public:
    explicit http01_memory_solver(net::challenge_store& memory) : memory_(memory) {}
    std::string_view type() const override { return "http-01"; }
    awaitable<result<void>> present(const acme::challenge_params& c) override {
        if (!memory_.put(c.token, c.key_authorization)) co_return errc::protocol_error;
        co_return result<void>{};
    }
    awaitable<void> cleanup(const acme::challenge_params& c) override {
        memory_.remove(c.token);
        co_return;
    }

private:
    net::challenge_store& memory_;
};

class http01_shared_solver final : public acme::challenge_solver {
public:
    http01_shared_solver(net::challenge_store& memory, storage::storage& shared) : memory_(memory), shared_(shared) {}
    std::string_view type() const override { return "http-01"; }
    awaitable<result<void>> present(const acme::challenge_params& c) override {
        if (auto r = co_await memory_.present(c); !r) co_return r;
        auto r = co_await shared_.store(storage::challenge_key(c.token), c.key_authorization);
        if (!r) spdlog::error("cannot publish the challenge token to shared storage: {}", r.error().message());
        co_return r;
    }
    awaitable<void> cleanup(const acme::challenge_params& c) override {
        co_await memory_.cleanup(c);
        co_await shared_.remove(storage::challenge_key(c.token));
    }

private:
    http01_memory_solver memory_;
    storage::storage& shared_;
};
}  // namespace

std::unique_ptr<acme::challenge_solver> make_http01_memory_solver(net::challenge_store& memory) {
    return std::make_unique<http01_memory_solver>(memory);
}

std::unique_ptr<acme::challenge_solver> make_http01_shared_solver(net::challenge_store& memory,
                                                                  storage::storage& shared) {
    return std::make_unique<http01_shared_solver>(memory, shared);
}

}  // namespace certman::challenge
