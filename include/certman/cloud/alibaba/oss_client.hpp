// A small OSS object client (reference alibaba-api.md §4): PutObject, GetObject, DeleteObject,
// ListObjectsV2 and GetBucketVersioning on one bucket, every request signed with Signature V4
// (oss_v4_signature.hpp, STS token included), with a timeout per attempt and bounded retries with jittered
// exponential backoff on 5xx, 429, timeouts and transport errors (oss_request.hpp). Definite answers (4xx)
// are never retried.
//
// Errors of every call: errc::not_found (404 NoSuchKey on GET), errc::already_exists (409 FileAlreadyExists on a
// forbid-overwrite put), errc::timeout (the last attempt had no answer in time), errc::cloud_error (any
// other error answer, or an answer that cannot be parsed), transport errors as the http_client returns them,
// and the credential source's error. The failure's message names the operation, the object, the OSS Code and
// RequestId ("PutObject certman/leases/a.json: AccessDenied (HTTP 403, RequestId 5C..): ..."); its peer_code()
// is the OSS Code ("" for transport errors and timeouts).
// Bodies are never logged. Timers use the executor of the awaiting coroutine, so one client may serve
// coroutines of any io_context as long as its http_client can.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "certman/cloud/alibaba/credentials.hpp"
#include "certman/cloud/alibaba/oss_request.hpp"
#include "certman/core/result.hpp"
#include "certman/net/http_message.hpp"

namespace certman::net {
class http_client;
}

namespace certman::cloud::alibaba {

// Where the access key comes from (the credential chain, or a fixed key in tests).
using credentials_source = std::function<boost::asio::awaitable<result<credentials>>()>;

struct oss_client_options {
    oss_endpoint endpoint;                          // parse_oss_endpoint()
    std::string bucket;
    std::string region;                             // bare id, "cn-hangzhou"
    std::chrono::milliseconds timeout{15'000};      // per attempt
    int max_attempts = 4;                           // total tries of one call
    std::chrono::milliseconds base_delay{250};      // first backoff, doubled per retry
    std::chrono::milliseconds max_delay{4'000};
};

struct oss_put_options {
    bool forbid_overwrite = false;          // x-oss-forbid-overwrite: true (409 FileAlreadyExists if present)
    bool server_side_encryption = false;    // x-oss-server-side-encryption: AES256
    std::string content_type = "application/octet-stream";
};

class oss_client {
public:
    oss_client(std::shared_ptr<net::http_client> http, credentials_source credentials, oss_client_options options);

    // PutObject with Content-MD5 and the body's SHA-256 signed. With forbid_overwrite, a retry that meets
    // 409 after an attempt whose outcome was unknown (timeout, 5xx) reads the object back: if it holds
    // exactly `body`, that earlier attempt landed and the call succeeds; otherwise errc::already_exists.
    boost::asio::awaitable<result<void>> put_object(std::string key, std::string body, oss_put_options options);
    boost::asio::awaitable<result<std::string>> get_object(std::string key);
    // 204 whether or not the object existed: success either way.
    boost::asio::awaitable<result<void>> delete_object(std::string key);
    // One page; continuation_token "" for the first. max_keys in 1..1000.
    boost::asio::awaitable<result<oss_list_page>> list_objects_v2(std::string prefix, std::string continuation_token,
                                                                  int max_keys = 1000);
    // Every key under prefix, following continuation tokens. Errors, besides list_objects_v2's:
    // errc::protocol_error when a truncated page has no continuation token, a token comes back a second time, or
    // max_list_pages pages do not end the listing (page_guard.hpp).
    boost::asio::awaitable<result<std::vector<std::string>>> list_all(std::string prefix);
    static constexpr int max_list_pages = 100;
    // "" (never versioned), "Enabled" or "Suspended".
    boost::asio::awaitable<result<std::string>> get_bucket_versioning();

    // Requests sent so far, retries included (for the bench and the fault tests).
    std::size_t requests_sent() const noexcept { return requests_sent_; }
    const oss_client_options& options() const noexcept { return options_; }

    struct call;  // one request as the retry loop sees it (defined in oss_client.cpp)

private:
    boost::asio::awaitable<result<net::http_response>> perform(call c, bool* uncertain);
    failure answer_failure(std::string_view operation, std::string_view key, const net::http_response& res) const;
    failure not_found_or_error(std::string_view operation, std::string_view key, const net::http_response& res) const;

    std::shared_ptr<net::http_client> http_;
    credentials_source credentials_;
    oss_client_options options_;
    std::minstd_rand jitter_;
    std::size_t requests_sent_ = 0;
};

}  // namespace certman::cloud::alibaba
