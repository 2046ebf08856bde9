// Test support: a credentials_provider that always hands out the same AccessKey pair ("id", "s"), for unit tests
// that drive an Alibaba client over a scripted net::http_client (no metadata service, no files).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include "certman/cloud/alibaba/credentials_provider.hpp"

namespace certman::test {
class static_credentials final : public cloud::alibaba::credentials_provider {
public:
    boost::asio::awaitable<result<cloud::alibaba::credentials>> get() override {
        co_return cloud::alibaba::credentials{"id", "s", ""};
    }
    void invalidate() override {}
    std::string source() const override { return "test"; }
};
}  // namespace certman::test
