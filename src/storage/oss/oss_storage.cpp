// The storage contract on an OSS bucket (contract in include/certman/storage/oss_storage.hpp).
#include "certman/storage/oss_storage.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "certman/cloud/alibaba/oss_client.hpp"
#include "certman/core/errc.hpp"
#include "certman/storage/keys.hpp"

namespace certman::storage {
namespace {

namespace asio = boost::asio;
using cloud::alibaba::oss_client;

class oss_storage final : public storage {
public:
    oss_storage(std::shared_ptr<oss_client> client, oss_bucket_settings options)
        : client_(std::move(client)), options_(std::move(options)) {}

    asio::awaitable<result<std::string>> load(std::string key) override {
        if (auto r = co_await precheck("load", key); !r) co_return r.error();
        auto got = co_await client_->get_object(options_.prefix + key);
        if (!got && got.error() == errc::not_found) co_return got.error().with_message("load " + key + ": not found");
        co_return got;
    }

    asio::awaitable<result<void>> store(std::string key, std::string value) override {
        if (auto r = co_await precheck("store", key); !r) co_return r;
        co_return co_await client_->put_object(options_.prefix + key, std::move(value), put_options(false));
    }

    asio::awaitable<result<void>> create(std::string key, std::string value) override {
        if (auto r = co_await precheck("create", key); !r) co_return r;
        co_return co_await client_->put_object(options_.prefix + key, std::move(value), put_options(true));
    }

    asio::awaitable<result<void>> remove(std::string key) override {
        if (auto r = co_await precheck("remove", key); !r) co_return r;
        co_return co_await client_->delete_object(options_.prefix + key);
    }

    asio::awaitable<result<std::vector<std::string>>> list(std::string prefix) override {
        if (!is_valid_prefix(prefix)) co_return invalid("list", prefix, "not a valid prefix");
        if (auto r = co_await check_bucket(); !r) co_return r.error();
        auto all = co_await client_->list_all(options_.prefix + prefix);
        if (!all) co_return all.error();
        std::vector<std::string> keys;
        for (auto& object : *all) {
            if (!object.starts_with(options_.prefix)) continue;
            std::string key = object.substr(options_.prefix.size());
            if (is_valid_key(key) && key.starts_with(prefix)) keys.push_back(std::move(key));
        }
        std::sort(keys.begin(), keys.end());
        co_return keys;
    }

    std::string describe() const override {
        std::string p = options_.prefix;
        if (!p.empty()) p.pop_back();
        return "oss:" + client_->options().bucket + (p.empty() ? "" : "/" + p);
    }

private:
    enum class bucket_state { unknown, usable, versioned };

    static failure invalid(std::string_view op, std::string_view key, std::string_view why) {
        return {errc::invalid_argument, std::string(op) + ' ' + std::string(key) + ": " + std::string(why)};
    }

    cloud::alibaba::oss_put_options put_options(bool forbid_overwrite) const {
        cloud::alibaba::oss_put_options o;
        o.forbid_overwrite = forbid_overwrite;
        o.server_side_encryption = options_.server_side_encryption;
        o.content_type = "application/octet-stream";
        return o;
    }

    asio::awaitable<result<void>> precheck(std::string_view op, const std::string& key) {
        if (!is_valid_key(key)) co_return invalid(op, key, "not a valid storage key");
        co_return co_await check_bucket();
    }

    // Once per storage object: refuse a versioned bucket (forbid-overwrite would be ignored there).
    asio::awaitable<result<void>> check_bucket() {
        if (!options_.check_versioning || state_ == bucket_state::usable) co_return result<void>{};
        if (state_ == bucket_state::unknown) {
            auto status = co_await client_->get_bucket_versioning();
            if (status && !status->empty()) {
                state_ = bucket_state::versioned;
                versioning_ = *status;
                spdlog::error("{}", refusal());
            } else if (status || status.error().peer_code() == "AccessDenied") {
                if (!status)
                    spdlog::warn("oss: cannot read the versioning state of bucket {} ({}); assuming it is "
                                 "unversioned. Grant oss:GetBucketVersioning so certman can check.",
                                 client_->options().bucket, status.error().message());
                state_ = bucket_state::usable;
            } else {
                co_return status.error();
            }
        }
        if (state_ == bucket_state::versioned) co_return failure{errc::config_error, refusal()};
        co_return result<void>{};
    }

    std::string refusal() const {
        return "oss bucket " + client_->options().bucket + " has versioning " + versioning_ +
               ": OSS ignores x-oss-forbid-overwrite on versioned buckets, so leases would not be exclusive and "
               "two instances could order the same certificate. Use a bucket that never had versioning enabled.";
    }

    std::shared_ptr<oss_client> client_;
    oss_bucket_settings options_;
    bucket_state state_ = bucket_state::unknown;
    std::string versioning_;
};

}  // namespace

std::unique_ptr<storage> make_oss_storage(std::shared_ptr<oss_client> client, oss_bucket_settings options) {
    if (!client) throw std::invalid_argument("make_oss_storage: null client");
    options.prefix = normalize_oss_prefix(options.prefix);
    return std::make_unique<oss_storage>(std::move(client), std::move(options));
}

}  // namespace certman::storage
