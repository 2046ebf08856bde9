// Signed RPC calls with retries (contract in the header).
#include "certman/cloud/alibaba/rpc_client.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "certman/cloud/alibaba/acs3_signature.hpp"
#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/cloud/alibaba/nonce.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"

namespace certman::cloud::alibaba {
namespace {

std::chrono::sys_seconds now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// An answer that is not an error envelope (a proxy's HTML 503) is classified by its status alone.
api_error error_of(const net::http_response& res) {
    auto parsed = parse_api_error(res.body, res.status);
    if (parsed) return *parsed;
    api_error e;
    e.http_status = res.status;
    e.message = "answer without an error envelope";
    return e;
}

// The Host header the server sees for `endpoint` (net::http_client writes it the same way: the port only when
// it is not the scheme's default), which V3 signs.
std::string host_of(std::string_view endpoint) {
    const bool tls = endpoint.starts_with("https://");
    auto rest = endpoint.substr(endpoint.find("://") == std::string_view::npos ? 0 : endpoint.find("://") + 3);
    rest = rest.substr(0, rest.find('/'));
    if (rest.ends_with(tls ? ":443" : ":80")) rest.remove_suffix(tls ? 4 : 3);
    return std::string(rest);
}

}  // namespace

rpc_client::rpc_client(boost::asio::any_io_executor executor, std::shared_ptr<net::http_client> http,
                       std::shared_ptr<credentials_provider> credentials, rpc_client_options options)
    : executor_(std::move(executor)), http_(std::move(http)), credentials_(std::move(credentials)),
      options_(std::move(options)), jitter_(std::random_device{}()) {}

std::string rpc_client::fresh_nonce() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        for (auto& b : bytes) b = static_cast<unsigned char>(jitter_());
    return uuid_v4_from_bytes(bytes);
}

net::http_request rpc_client::signed_request(std::string_view action, const param_list& params,
                                             const param_list& form, const credentials& key) {
    const auto nonce = fresh_nonce();
    net::http_request req;
    req.method = "POST";
    req.timeout = options_.timeout;
    req.headers.emplace_back("Accept", "application/json");
    if (options_.signature == signature_style::v1_hmac_sha1) {
        param_list with_action = params;
        with_action.emplace_back("Action", std::string(action));
        req.url = options_.endpoint + "/";
        req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        req.body = signed_form_body(with_action, key, {options_.version, nonce, now_seconds()});
        return req;
    }
    // V3: the wire query is the canonical one (strict RFC 3986), always consistent with what is signed (§1.3).
    const auto query = canonical_query(params, empty_value::name_equals);
    req.url = options_.endpoint + "/" + (query.empty() ? "" : "?" + query);
    const auto host = host_of(options_.endpoint);
    const auto date = format_timestamp(now_seconds());
    if (!form.empty()) req.body = canonical_query(form, empty_value::name_equals);  // acs3 adds content-type
    const acs3_call call{"POST", host, action, options_.version, date, nonce, req.body};
    for (auto& h : acs3_signed_request_headers(call, params, key))
        if (h.first != "host") req.headers.push_back(std::move(h));  // http_client writes Host itself
    return req;
}

boost::asio::awaitable<result<std::string>> rpc_client::call(std::string_view action, param_list params,
                                                             bool idempotent) {
    co_return co_await attempt_all(action, params, {}, idempotent);
}

boost::asio::awaitable<result<std::string>> rpc_client::call_form(std::string_view action, param_list query,
                                                                  param_list form, bool idempotent) {
    if (options_.signature != signature_style::v3_acs3_hmac_sha256)
        co_return failure{errc::invalid_argument, std::string(action) + ": form parameters need signature V3"};
    co_return co_await attempt_all(action, query, form, idempotent);
}

boost::asio::awaitable<result<std::string>> rpc_client::attempt_all(std::string_view action, const param_list& params,
                                                                    const param_list& form, bool idempotent) {
    retry_state state;
    for (;;) {
        last_attempts_ = state.attempts + 1;
        auto key = co_await credentials_->get();
        if (!key) co_return key.error().context(std::string(action) + ": no credentials");
        auto res = co_await http_->send(signed_request(action, params, form, *key));

        retry_class cls;
        bool ambiguous = true;  // the service may have carried the request out
        failure refused;
        if (!res) {
            refused = res.error().with_message(
                std::string(action) + " failed: " +
                (res.error() == errc::timeout ? "no answer within " + std::to_string(options_.timeout.count()) + " ms"
                                              : res.error().message()));
            cls = retry_class::transient_bounded;
        } else if (res->status >= 200 && res->status < 300) {
            co_return std::move(res->body);
        } else {
            const auto e = error_of(*res);
            refused = failure{errc::cloud_error, format_api_error(action, e)}.with_peer_code(e.code);
            cls = classify(e.code, e.http_status);
            ambiguous = e.code.empty() || e.code == "InternalError";
        }
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const auto d = decide_retry(state, cls, ambiguous, idempotent, options_.retry, unit(jitter_));
        if (!d.retry) co_return refused;
        spdlog::warn("alibaba: {} (attempt {}); retrying in {} ms", refused.message(), state.attempts, d.delay.count());
        if (d.refresh_credentials) credentials_->invalidate();
        if (d.delay.count() > 0) {
            boost::asio::steady_timer timer(executor_, d.delay);
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
    }
}

}  // namespace certman::cloud::alibaba
