// The credential chain: config file, environment, ECS RAM role (contract in the header).
#include "certman/cloud/alibaba/credentials_provider.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "certman/cloud/alibaba/ecs_metadata.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"

namespace certman::cloud::alibaba {
namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Reads the secret file, refusing one that group or others can access. On failure the message says what to do.
result<std::string> read_secret_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return failure{errc::config_error,
                       "access_key_secret_file " + path + ": cannot read it (" + std::strerror(errno) + ")"};
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return failure{errc::config_error, "access_key_secret_file " + path +
                                               " is accessible by group or others (mode " + mode +
                                               "); run: chmod 600 " + path};
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) return failure{errc::config_error, "access_key_secret_file " + path + ": cannot read it"};
    auto secret = trim(content.str());
    if (secret.empty()) return failure{errc::config_error, "access_key_secret_file " + path + " is empty"};
    return secret;
}

bool env_true(const char* v) { return v && (std::string_view(v) == "true" || std::string_view(v) == "1"); }

class chain_provider final : public credentials_provider {
public:
    chain_provider(boost::asio::any_io_executor ex, credentials_options opts) : opts_(std::move(opts)) {
        if (!opts_.getenv) opts_.getenv = [](const char* n) -> const char* { return std::getenv(n); };
        ecs_metadata::options m;
        if (!opts_.metadata_endpoint.empty()) m.endpoint = opts_.metadata_endpoint;
        m.role_name = opts_.role_name;
        if (m.role_name.empty())
            if (const char* r = opts_.getenv("ALIBABA_CLOUD_ECS_METADATA")) m.role_name = r;
        m.allow_plain = !env_true(opts_.getenv("ALIBABA_CLOUD_IMDSV1_DISABLED"));
        m.timeout = opts_.metadata_timeout;
        m.token_ttl = opts_.metadata_token_ttl;
        auto client = opts_.metadata_client;
        if (!client) {
            net::http_client_options o;
            o.allow_plain_http = true;  // the metadata address only: link-local, no TLS
            o.max_body_bytes = 64 * 1024;
            client = net::make_http_client(ex, o);
        }
        metadata_ = std::make_unique<ecs_metadata>(std::move(client), std::move(m));
    }

    boost::asio::awaitable<result<credentials>> get() override {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        if (cached_ && !needs_refresh(*cached_, now)) co_return cached_->key;
        if (!opts_.access_key_id.empty()) co_return from_file();
        if (auto env = from_env()) co_return *env;
        if (env_true(opts_.getenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED")))
            co_return failure{errc::not_found,
                              "no Alibaba Cloud credentials: set access_key_id + access_key_secret_file, or "
                              "ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET (ECS metadata is disabled)"};
        auto fetched = co_await metadata_->fetch();
        if (!fetched) {
            // Stale but unexpired credentials are better than none while the metadata service hiccups.
            if (cached_ && cached_->expiration && now < *cached_->expiration) co_return cached_->key;
            co_return fetched.error();
        }
        cached_ = std::move(*fetched);
        source_ = "ECS RAM role " + metadata_->role_name();
        co_return cached_->key;
    }

    void invalidate() override {
        if (cached_ && cached_->expiration) cached_.reset();
    }
    std::string source() const override { return source_; }

private:
    result<credentials> from_file() {
        auto secret = read_secret_file(opts_.access_key_secret_file);
        if (!secret) return secret.error();
        cached_ = expiring_credentials{{opts_.access_key_id, std::move(*secret), {}}, {}, std::nullopt};
        source_ = "config file";
        return cached_->key;
    }

    std::optional<credentials> from_env() {
        const char* id = opts_.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
        const char* secret = opts_.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        if (!id || !*id || !secret || !*secret) return std::nullopt;
        const char* token = opts_.getenv("ALIBABA_CLOUD_SECURITY_TOKEN");
        source_ = "environment";
        // Not cached: the environment is read on each call, which is cheap, and may change under tests.
        return credentials{id, secret, token ? token : ""};
    }

    credentials_options opts_;
    std::unique_ptr<ecs_metadata> metadata_;
    std::optional<expiring_credentials> cached_;
    std::string source_;
};

}  // namespace

std::shared_ptr<credentials_provider> make_credentials_provider(boost::asio::any_io_executor executor,
                                                                credentials_options options) {
    return std::make_shared<chain_provider>(std::move(executor), std::move(options));
}

}  // namespace certman::cloud::alibaba
