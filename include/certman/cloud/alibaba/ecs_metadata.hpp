// The ECS instance metadata service as a source of RAM-role STS credentials (reference alibaba-api.md §3.1):
// hardened mode first (PUT /latest/api/token with X-aliyun-ecs-metadata-token-ttl-seconds, then the token in
// X-aliyun-ecs-metadata-token on every GET), plain GETs when the PUT fails and plain mode is allowed; the role
// name from the caller or from GET /latest/meta-data/ram/security-credentials/. Used by credentials_provider.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "certman/cloud/alibaba/sts_credentials.hpp"

namespace certman::net {
class http_client;
}

namespace certman::cloud::alibaba {

class ecs_metadata {
public:
    struct options {
        std::string endpoint = "http://100.100.100.200";  // no trailing slash
        std::string role_name;                            // empty: discover
        bool allow_plain = true;                          // false: hardened mode only (IMDSv1 disabled)
        std::chrono::milliseconds timeout{2000};
        std::chrono::seconds token_ttl{21600};
    };

    ecs_metadata(std::shared_ptr<net::http_client> client, options opts);

    // Fetches the role's credentials. Errors: errc::timeout / connection errors, errc::cloud_error (a status
    // other than 200, or Code != "Success"), errc::parse_error (bad document), errc::protocol_error (Expiration
    // already past, saying to check the clock; a discovered role name that is not 1-64 letters, digits, '.', '-', '_'),
    // errc::not_found (no role attached). The failure's message is
    // one line naming the step; never a secret or a token.
    boost::asio::awaitable<result<expiring_credentials>> fetch();

    const std::string& role_name() const { return role_; }

private:
    boost::asio::awaitable<result<std::string>> get(const std::string& path, const std::string& what);
    boost::asio::awaitable<void> ensure_token();

    std::shared_ptr<net::http_client> client_;
    options opts_;
    std::string role_;
    std::optional<std::string> token_;                    // hardened-mode session token
    std::chrono::steady_clock::time_point token_expiry_{};
};

}  // namespace certman::cloud::alibaba
