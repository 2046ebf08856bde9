// dir_storage on the blocking pool (contract in include/certman/app/pooled_storage.hpp).
#include "certman/app/pooled_storage.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace certman::app {
namespace asio = boost::asio;

namespace {
using storage_base = certman::storage::storage;

class pooled_storage final : public storage_base {
public:
    pooled_storage(std::unique_ptr<storage_base> inner, blocking_pool& pool)
        : inner_(std::move(inner)), strand_(asio::make_strand(pool.executor())) {}

    asio::awaitable<result<std::string>> load(std::string key) override {
        co_return co_await run([this, key = std::move(key)] { return inner_->load(key); });
    }
    asio::awaitable<result<void>> store(std::string key, std::string value) override {
        co_return co_await run([this, key = std::move(key), v = std::move(value)] { return inner_->store(key, v); });
    }
    asio::awaitable<result<void>> create(std::string key, std::string value) override {
        co_return co_await run([this, key = std::move(key), v = std::move(value)] { return inner_->create(key, v); });
    }
    asio::awaitable<result<void>> remove(std::string key) override {
        co_return co_await run([this, key = std::move(key)] { return inner_->remove(key); });
    }
    asio::awaitable<result<std::vector<std::string>>> list(std::string prefix) override {
        co_return co_await run([this, p = std::move(prefix)] { return inner_->list(p); });
    }
    std::string describe() const override { return inner_->describe(); }
    std::string last_error() const override { return last_error_; }

private:
    // Runs the operation `start()` returns on the strand; its result and the inner message come back here.
    template <class Start>
    auto run(Start start) -> decltype(start()) {
        using value = typename decltype(start())::value_type;
        auto [r, why] = co_await asio::co_spawn(
            strand_,
            [this, start = std::move(start)]() -> asio::awaitable<std::pair<value, std::string>> {
                auto r = co_await start();
                co_return std::pair<value, std::string>{std::move(r), inner_->last_error()};
            },
            asio::use_awaitable);
        last_error_ = std::move(why);
        co_return std::move(r);
    }

    std::unique_ptr<storage_base> inner_;
    asio::strand<blocking_pool::executor_type> strand_;
    std::string last_error_;
};

}  // namespace

std::unique_ptr<storage::storage> make_pooled_storage(std::unique_ptr<storage::storage> inner, blocking_pool& pool) {
    return std::make_unique<pooled_storage>(std::move(inner), pool);
}

}  // namespace certman::app
