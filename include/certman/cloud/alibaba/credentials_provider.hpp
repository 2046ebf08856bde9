// Where certman's Alibaba Cloud requests get their access key from: the credential chain (README.md
// "Alibaba Cloud SLB", reference alibaba-api.md §3). Sources, first match wins:
//   1. access_key_id + access_key_secret_file from the configuration. The file must not be accessible by group
//      or others (the error says which file and to `chmod 600` it); its content, trimmed, is the secret.
//      When configured, this source is the only one tried: a bad file is an error, not a fall-through.
//   2. The environment: ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET
//      (+ ALIBABA_CLOUD_SECURITY_TOKEN for STS).
//   3. The ECS instance RAM role, from the metadata service (default http://100.100.100.200): a session token is
//      requested first (PUT /latest/api/token, hardened mode), plain GETs are the fallback unless
//      ALIBABA_CLOUD_IMDSV1_DISABLED=true; the role name is configured (role_name or ALIBABA_CLOUD_ECS_METADATA)
//      or discovered; the STS triple is cached and fetched again before its Expiration
//      (sts_credentials.hpp refresh_time). ALIBABA_CLOUD_ECS_METADATA_DISABLED=true removes this source.
// The secret never appears in a log line or a failure's message.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "certman/cloud/alibaba/credentials.hpp"
#include "certman/core/result.hpp"

namespace certman::net {
class http_client;
}

namespace certman::cloud::alibaba {

struct credentials_options {
    std::string access_key_id;           // with access_key_secret_file: source 1
    std::string access_key_secret_file;
    std::string metadata_endpoint;       // empty: http://100.100.100.200
    std::string role_name;               // empty: ALIBABA_CLOUD_ECS_METADATA, else discovered
    std::chrono::milliseconds metadata_timeout{2000};  // per metadata request
    std::chrono::seconds metadata_token_ttl{21600};    // hardened-mode session token lifetime
    // The environment, injectable for tests; default std::getenv.
    std::function<const char*(const char*)> getenv;
    // Transport for the metadata service; null: a client with allow_plain_http is built for it (the metadata
    // address is not loopback and has no TLS), used for nothing else.
    std::shared_ptr<net::http_client> metadata_client;
};

class credentials_provider {
public:
    virtual ~credentials_provider() = default;
    // Current credentials. Errors: errc::config_error (secret file unsafe, unreadable or empty),
    // errc::not_found (no source has credentials), errc::timeout / system errors / errc::cloud_error /
    // errc::parse_error from the metadata service. The failure's message says which source and why.
    virtual boost::asio::awaitable<result<credentials>> get() = 0;
    // Forget cached STS credentials so that the next get() fetches new ones (after InvalidSecurityToken.*).
    virtual void invalidate() = 0;
    // "config file", "environment", "ECS RAM role <name>"; empty before the first successful get().
    virtual std::string source() const = 0;
};

std::shared_ptr<credentials_provider> make_credentials_provider(boost::asio::any_io_executor executor,
                                                                credentials_options options);

// The chain for an adapter whose options carry the three configurable sources (the SLB/ALB/NLB deployers, OSS
// storage, the Alidns solver: members access_key_id, access_key_secret_file, metadata_endpoint).
template <class AdapterOptions>
std::shared_ptr<credentials_provider> make_credentials_provider_for(boost::asio::any_io_executor executor,
                                                                    const AdapterOptions& adapter) {
    credentials_options o;
    o.access_key_id = adapter.access_key_id;
    o.access_key_secret_file = adapter.access_key_secret_file;
    o.metadata_endpoint = adapter.metadata_endpoint;
    return make_credentials_provider(std::move(executor), std::move(o));
}

}  // namespace certman::cloud::alibaba
