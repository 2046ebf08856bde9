// An in-memory storage (include/certman/storage/storage.hpp) for unit tests of code built on it: a map,
// plus switches to fail every call (a partition) so callers' error paths can be driven. Completes without
// suspending, like a local backend.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "certman/storage/storage.hpp"

namespace certman::test {

class memory_storage final : public storage::storage {
public:
    std::map<std::string, std::string> objects;
    bool unreachable = false;  // every call fails with errc::cloud_error
    // Writes (store, create) of keys starting with one of these fail with errc::io_error: a full disk or a
    // read-only mount for that part of the tree, while reads still work.
    std::vector<std::string> refused_prefixes;
    unsigned calls = 0;

    boost::asio::awaitable<result<std::string>> load(std::string key) override {
        if (auto e = fail()) co_return *e;
        auto it = objects.find(key);
        if (it == objects.end()) co_return errc::not_found;
        co_return it->second;
    }
    boost::asio::awaitable<result<void>> store(std::string key, std::string value) override {
        if (auto e = fail(key)) co_return *e;
        objects[key] = std::move(value);
        co_return result<void>{};
    }
    boost::asio::awaitable<result<void>> create(std::string key, std::string value) override {
        if (auto e = fail(key)) co_return *e;
        if (!objects.emplace(key, std::move(value)).second) co_return errc::already_exists;
        co_return result<void>{};
    }
    boost::asio::awaitable<result<void>> remove(std::string key) override {
        if (auto e = fail()) co_return *e;
        objects.erase(key);
        co_return result<void>{};
    }
    boost::asio::awaitable<result<std::vector<std::string>>> list(std::string prefix) override {
        if (auto e = fail()) co_return *e;
        std::vector<std::string> out;
        for (const auto& [k, v] : objects)
            if (k.rfind(prefix, 0) == 0) out.push_back(k);
        co_return out;
    }
    std::string describe() const override { return "memory"; }

private:
    std::optional<failure> fail() {
        ++calls;
        if (!unreachable) return std::nullopt;
        return failure{errc::cloud_error, "memory: unreachable (test)"};
    }
    std::optional<failure> fail(const std::string& written) {
        if (auto e = fail()) return e;
        for (const auto& p : refused_prefixes)
            if (written.rfind(p, 0) == 0)
                return failure{errc::io_error, "memory: " + written + ": no space left on device (test)"};
        return std::nullopt;
    }
};

}  // namespace certman::test
