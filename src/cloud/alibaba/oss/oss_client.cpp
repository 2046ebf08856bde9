// Signed OSS requests with bounded retries (contract in the header).
#include "certman/cloud/alibaba/oss_client.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "certman/cloud/alibaba/oss_v4_signature.hpp"
#include "certman/cloud/alibaba/page_guard.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"

namespace certman::cloud::alibaba {
namespace {

std::chrono::sys_seconds now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string digest(const EVP_MD* md, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) return {};
    return std::string(reinterpret_cast<const char*>(out), n);
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string base64_std(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

}  // namespace

struct oss_client::call {
    std::string operation;  // "PutObject", for messages
    std::string method;
    std::string key;
    param_list query;
    param_list headers;
    std::string body;
};

namespace {
// Built outside the coroutines: GCC 12 rejects braced string-literal aggregates as coroutine arguments.
oss_client::call make_call(std::string operation, std::string method, std::string key) {
    oss_client::call c;
    c.operation = std::move(operation);
    c.method = std::move(method);
    c.key = std::move(key);
    return c;
}
}  // namespace

oss_client::oss_client(std::shared_ptr<net::http_client> http, credentials_source credentials,
                       oss_client_options options)
    : http_(std::move(http)), credentials_(std::move(credentials)), options_(std::move(options)),
      jitter_(std::random_device{}()) {}

// The failure an error answer stands for: "<Operation> <object>: <Code> (HTTP n, RequestId ..): <Message>",
// errc::cloud_error, the OSS Code as peer_code.
failure oss_client::answer_failure(std::string_view operation, std::string_view key,
                                   const net::http_response& res) const {
    oss_error_body e = parse_oss_error(res.body);
    if (e.request_id.empty()) e.request_id = std::string(res.header("x-oss-request-id").value_or(""));
    const std::string_view object = key.empty() ? std::string_view(options_.bucket) : key;
    return failure{errc::cloud_error, format_oss_error(operation, object, res.status, e)}.with_peer_code(e.code);
}

// One call: sign, send, and retry transient failures. 404, 409 and 304 come back as responses for the
// operation to interpret (answer_failure). *uncertain is set when an earlier attempt may have been carried out
// by the service.
boost::asio::awaitable<result<net::http_response>> oss_client::perform(call c, bool* uncertain) {
    const std::string object = c.key.empty() ? options_.bucket : c.key;
    for (int attempt = 1;; ++attempt) {
        auto key = co_await credentials_();
        if (!key) co_return key.error().with_message(c.operation + " " + object + ": no credentials (" +
                                                     key.error().message() + ")");
        oss_v4_request signing{c.method, options_.bucket, c.key, c.query, c.headers, {}};
        oss_v4_sign(signing, *key, options_.region, now_seconds());
        net::http_request req;
        req.method = c.method;
        req.url = oss_url(options_.endpoint, options_.bucket, c.key, c.query);
        req.headers = std::move(signing.headers);
        req.body = c.body;
        req.timeout = options_.timeout;
        ++requests_sent_;
        auto res = co_await http_->send(std::move(req));
        if (res && res->status >= 200 && res->status < 300) co_return std::move(*res);

        const unsigned status = res ? res->status : 0;
        failure f = res ? answer_failure(c.operation, c.key, *res)
                        : res.error().with_message(
                              c.operation + " " + object + ": " +
                              (res.error() == errc::timeout
                                   ? "no answer within " + std::to_string(options_.timeout.count()) + " ms"
                                   : res.error().message()));
        if (res && (status == 304 || status == 404 || status == 409)) co_return std::move(*res);
        if (classify_oss_failure(status, f.peer_code()) == oss_failure::final || attempt >= options_.max_attempts)
            co_return f;
        if (uncertain && oss_failure_ambiguous(status)) *uncertain = true;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const auto delay = oss_backoff(options_.base_delay, options_.max_delay, attempt, unit(jitter_));
        spdlog::warn("oss: {} (attempt {} of {}); retrying in {} ms", f.message(), attempt, options_.max_attempts,
                     delay.count());
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

// The 404 of a missing object, as opposed to a missing bucket or a proxy's page (configuration problems).
failure oss_client::not_found_or_error(std::string_view operation, std::string_view key,
                                       const net::http_response& res) const {
    auto f = answer_failure(operation, key, res);
    if (f.peer_code() == "NoSuchKey") return f.with_code(errc::not_found);
    return f;
}

boost::asio::awaitable<result<void>> oss_client::put_object(std::string key, std::string body,
                                                            oss_put_options options) {
    call c = make_call("PutObject", "PUT", key);
    c.headers.emplace_back("Content-Type", options.content_type);
    c.headers.emplace_back("Content-MD5", base64_std(digest(EVP_md5(), body)));
    c.headers.emplace_back("x-oss-content-sha256", hex(digest(EVP_sha256(), body)));
    if (options.forbid_overwrite) c.headers.emplace_back("x-oss-forbid-overwrite", "true");
    if (options.server_side_encryption) c.headers.emplace_back("x-oss-server-side-encryption", "AES256");
    c.body = body;
    bool uncertain = false;
    auto res = co_await perform(std::move(c), &uncertain);
    if (!res) co_return res.error();
    if (res->status < 300) co_return result<void>{};
    auto refused = answer_failure("PutObject", key, *res);
    if (res->status == 409 && refused.peer_code() == "FileAlreadyExists") {
        if (uncertain) {
            auto current = co_await get_object(key);
            if (current && *current == body) co_return result<void>{};
        }
        co_return refused.with_code(errc::already_exists);
    }
    co_return refused;
}

boost::asio::awaitable<result<std::string>> oss_client::get_object(std::string key) {
    auto res = co_await perform(make_call("GetObject", "GET", key), nullptr);
    if (!res) co_return res.error();
    if (res->status == 404) co_return not_found_or_error("GetObject", key, *res);
    if (res->status >= 300) co_return answer_failure("GetObject", key, *res);
    co_return std::move(res->body);
}

boost::asio::awaitable<result<void>> oss_client::delete_object(std::string key) {
    auto res = co_await perform(make_call("DeleteObject", "DELETE", key), nullptr);
    if (!res) co_return res.error();
    if (res->status >= 300) co_return answer_failure("DeleteObject", key, *res);
    co_return result<void>{};
}

boost::asio::awaitable<result<oss_list_page>> oss_client::list_objects_v2(std::string prefix, std::string token,
                                                                          int max_keys) {
    call c = make_call("ListObjectsV2", "GET", "");
    c.query.emplace_back("list-type", "2");
    c.query.emplace_back("max-keys", std::to_string(max_keys));
    if (!prefix.empty()) c.query.emplace_back("prefix", prefix);
    if (!token.empty()) c.query.emplace_back("continuation-token", token);
    auto res = co_await perform(std::move(c), nullptr);
    if (!res) co_return res.error();
    if (res->status >= 300) co_return answer_failure("ListObjectsV2", "", *res);
    auto page = parse_list_objects_v2(res->body);
    if (!page)
        co_return failure{errc::cloud_error,
                          "ListObjectsV2 " + options_.bucket + ": the answer is not a ListBucketResult document"};
    co_return std::move(*page);
}

boost::asio::awaitable<result<std::vector<std::string>>> oss_client::list_all(std::string prefix) {
    std::vector<std::string> keys;
    std::string token;
    // A token that cycles (a → b → a) or never runs out would loop for ever (page_guard.hpp).
    page_guard pages("ListObjectsV2 " + options_.bucket, 0, max_list_pages,
                      "give certman a prefix of its own in the bucket: it lists at most " +
                          std::to_string(max_list_pages) + " pages of 1000 keys");
    for (bool more = true; more;) {
        auto page = co_await list_objects_v2(prefix, token);
        if (!page) co_return page.error();
        if (page->truncated && page->next_token.empty())  // a partial listing must not pass for the whole
            co_return failure{errc::protocol_error,
                              "ListObjectsV2 " + options_.bucket + ": IsTruncated without a NextContinuationToken"};
        keys.insert(keys.end(), page->keys.begin(), page->keys.end());
        token = page->truncated ? page->next_token : std::string();
        auto next = pages.token(token);
        if (!next) co_return next.error();
        more = *next;
    }
    co_return keys;
}

boost::asio::awaitable<result<std::string>> oss_client::get_bucket_versioning() {
    call c = make_call("GetBucketVersioning", "GET", "");
    c.query.emplace_back("versioning", "");
    auto res = co_await perform(std::move(c), nullptr);
    if (!res) co_return res.error();
    if (res->status >= 300) co_return answer_failure("GetBucketVersioning", "", *res);
    auto status = parse_bucket_versioning(res->body);
    if (!status)
        co_return failure{errc::cloud_error,
                          "GetBucketVersioning " + options_.bucket + ": the answer is not a VersioningConfiguration"};
    co_return std::move(*status);
}

}  // namespace certman::cloud::alibaba
