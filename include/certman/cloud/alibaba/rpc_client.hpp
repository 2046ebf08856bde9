// One signed Alibaba Cloud RPC-style call with the retry rules of §1.7. Signature V1 (reference alibaba-api.md §1,
// SLB): each attempt is a POST of a form body to "<endpoint>/" (never parameters in the URL: they include the
// private key on upload) with Format=JSON, a fresh SignatureNonce (random UUID) and Timestamp, and a timeout.
// Signature V3 (ACS3-HMAC-SHA256, acs3_signature.hpp; Alidns): a POST to "<endpoint>/?<canonical query>" with an
// empty body, the action, version, date and nonce in signed x-acs-* headers, as the current SDKs send it; with
// call_form, some parameters travel in an application/x-www-form-urlencoded body instead, whose SHA-256 is
// x-acs-content-sha256 and content-type is signed (NLB write actions, reference
// alibaba-cas-alb-nlb-alidns.md §1.1 and vector D).
// Throttling backs off exponentially with jitter, ServiceUnavailable/InternalError/busy codes a bounded number of
// times, SignatureNonceUsed is retried with a new nonce, a security-token error fetches new credentials once,
// auth, signature and parameter errors are final (rpc_retry.hpp). Product clients (slb_client) sit on top.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "certman/cloud/alibaba/api_error.hpp"
#include "certman/cloud/alibaba/rpc_retry.hpp"
#include "certman/cloud/alibaba/rpc_signature.hpp"
#include "certman/core/result.hpp"
#include "certman/net/http_message.hpp"

namespace certman::net {
class http_client;
}

namespace certman::cloud::alibaba {

class credentials_provider;

enum class signature_style { v1_hmac_sha1, v3_acs3_hmac_sha256 };

struct rpc_client_options {
    std::string endpoint;                       // "https://slb.cn-hangzhou.aliyuncs.com" (no trailing slash)
    std::string version;                        // "2014-05-15"
    std::chrono::milliseconds timeout{30'000};  // per attempt: resolve, connect, TLS, write, read
    retry_policy retry;
    signature_style signature = signature_style::v1_hmac_sha1;
};

class rpc_client {
public:
    rpc_client(boost::asio::any_io_executor executor, std::shared_ptr<net::http_client> http,
               std::shared_ptr<credentials_provider> credentials, rpc_client_options options);

    // Calls `action` with `params` (Action and the common parameters are added). Returns the body of a 2xx
    // answer. `idempotent` = false keeps a possibly-executed attempt (timeout, bare 5xx, InternalError) from being
    // repeated. Errors: errc::cloud_error (an error envelope or a non-2xx answer; the failure's peer_code() is
    // the Code), errc::timeout, transport errors, credential errors. The failure's message names the action, the
    // Code, the HTTP status and the RequestId; never a parameter, a string-to-sign or a secret.
    boost::asio::awaitable<result<std::string>> call(std::string_view action, param_list params,
                                                     bool idempotent = true);

    // V3 only: `query` in the URL, `form` as the body (sorted, strictly percent-encoded: the exact bytes that
    // are hashed). Same retries and errors as call(); every attempt sends the same parameters, so a ClientToken
    // among them stays the same across retries.
    boost::asio::awaitable<result<std::string>> call_form(std::string_view action, param_list query, param_list form,
                                                          bool idempotent = true);

    int last_attempts() const { return last_attempts_; }

private:
    std::string fresh_nonce();
    // One attempt's request, signed as options_.signature says.
    net::http_request signed_request(std::string_view action, const param_list& params, const param_list& form,
                                     const credentials& key);
    boost::asio::awaitable<result<std::string>> attempt_all(std::string_view action, const param_list& params,
                                                            const param_list& form, bool idempotent);

    boost::asio::any_io_executor executor_;
    std::shared_ptr<net::http_client> http_;
    std::shared_ptr<credentials_provider> credentials_;
    rpc_client_options options_;
    std::mt19937_64 jitter_;
    int last_attempts_ = 0;
};

}  // namespace certman::cloud::alibaba
