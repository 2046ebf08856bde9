// ACME driver: directory, nonces, signed requests with bounded badNonce retry, account, revocation.
// The order itself is driven in client_order.cpp.
#include "certman/acme/client.hpp"
#include <boost/json.hpp>
#include <spdlog/spdlog.h>
#include "certman/acme/link.hpp"
#include "certman/acme/payloads.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/jose/eab.hpp"
#include "certman/jose/jwk.hpp"
#include "certman/jose/jws.hpp"
#include "certman/jose/thumbprint.hpp"

namespace certman::acme {
namespace asio = boost::asio;

std::optional<problem> problem_of(const net::http_response& res, timestamp now) {
    if (res.status < 400) return std::nullopt;
    std::optional<std::chrono::seconds> retry_after;
    if (auto h = res.header("Retry-After")) retry_after = parse_retry_after(*h, now);
    return parse_problem(res.body, res.status, retry_after);
}

client::client(asio::any_io_executor executor, net::http_client& http, crypto::private_key account_key,
               client_options options, request_observer observer)
    : executor_(executor), http_(http), account_key_(std::move(account_key)), options_(std::move(options)),
      observer_(std::move(observer)), thumbprint_(jose::jwk_thumbprint(account_key_)) {}

failure client::fail(error_code code, std::string description) { return {code, std::move(description)}; }

asio::awaitable<result<net::http_response>> client::send(net::http_request req, std::string_view kind) {
    req.timeout = options_.request_timeout;
    const auto started = std::chrono::steady_clock::now();
    auto res = co_await http_.send(std::move(req));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (observer_) observer_(kind, res ? res->status : 0, secs);
    if (res)
        if (auto n = res->header("Replay-Nonce")) nonces_.add(*n);
    co_return res;
}

asio::awaitable<result<void>> client::fetch_directory() {
    net::http_request req;
    req.url = options_.directory_url;
    auto res = co_await send(std::move(req), "directory");
    if (!res)
        co_return fail(res.error().code(), "cannot fetch the ACME directory " + options_.directory_url + ": " +
                                        res.error().message());
    if (res->status != 200)
        co_return fail(errc::protocol_error, "the ACME directory " + options_.directory_url + " answered HTTP " +
                                                 std::to_string(res->status) + "; is acme.directory right?");
    auto dir = parse_directory(res->body);
    if (!dir)
        co_return fail(errc::protocol_error,
                       options_.directory_url + " is not an ACME directory: " + dir.error().message());
    directory_ = std::move(*dir);
    co_return result<void>{};
}

asio::awaitable<result<std::string>> client::fresh_nonce() {
    if (auto n = nonces_.take()) co_return *n;
    net::http_request req;
    req.method = "HEAD";
    req.url = directory_.new_nonce;
    auto res = co_await send(std::move(req), "newNonce");
    if (!res)
        co_return fail(res.error().code(),
                       "cannot get a nonce from " + directory_.new_nonce + ": " + res.error().message());
    if (auto n = nonces_.take()) co_return *n;
    co_return fail(errc::protocol_error, "the CA's newNonce answered HTTP " + std::to_string(res->status) +
                                             " without a usable Replay-Nonce");
}

asio::awaitable<result<net::http_response>> client::post(std::string url, std::string payload, std::string_view kind,
                                                             bool use_jwk) {
    for (int attempt = 0;; ++attempt) {
        auto nonce = co_await fresh_nonce();
        if (!nonce) co_return nonce.error();
        jose::jws_header h;
        h.url = url;
        h.nonce = std::move(*nonce);
        if (!use_jwk) h.kid = account_url_;
        auto body = jose::sign_jws(account_key_, h, payload);
        if (!body) co_return fail(body.error().code(), "cannot sign the request to " + url);
        net::http_request req;
        req.method = "POST";
        req.url = url;
        req.headers = {{"Content-Type", "application/jose+json"}};
        if (kind == "certificate") req.headers.emplace_back("Accept", "application/pem-certificate-chain");
        req.body = std::move(*body);
        auto res = co_await send(std::move(req), kind);
        if (!res)
            co_return fail(res.error().code(), std::string(kind) + " request to " + url + " failed: " +
                                            (res.error() == errc::timeout ? "no answer within " +
                                             std::to_string(options_.request_timeout.count()) + "s" : res.error().message()));
        if (res->status >= 400 && attempt < options_.max_bad_nonce_retries) {
            auto p = problem_of(*res, std::chrono::system_clock::now());
            if (p && is(*p, "badNonce")) {  // §6.5: retry with the fresh nonce from this response
                ++bad_nonce_retries_;
                continue;
            }
        }
        co_return res;
    }
}

asio::awaitable<result<void>> client::set_up_account() {
    new_account_request req;
    req.emails = options_.emails;
    req.terms_of_service_agreed = options_.agree_tos;
    req.only_return_existing = !options_.agree_tos;  // without consent we may only find an existing account
    if (!options_.eab_kid.empty() && options_.agree_tos) {
        auto eab = jose::eab_jws(options_.eab_kid, options_.eab_hmac_key, jose::public_jwk(account_key_),
                                 directory_.new_account);
        if (!eab) co_return fail(errc::config_error, "[acme] eab_hmac_key is not valid base64url (check the value your CA gave you)");
        req.external_account_binding = boost::json::serialize(*eab);
    }
    auto payload = new_account_payload(req);
    if (!payload) co_return fail(errc::config_error, "[acme] email is not a usable contact address");
    auto res = co_await post(directory_.new_account, *payload, "newAccount", true);
    if (!res) co_return res.error();
    if (auto p = problem_of(*res, std::chrono::system_clock::now())) {
        if (is(*p, "accountDoesNotExist"))
            co_return fail(errc::config_error, "no ACME account exists for this key at " + options_.directory_url +
                                                   " and certman may not create one: read the CA's terms of service"
                                                   " and set agree_tos = true in [acme]")
                .with_peer_code("accountDoesNotExist");
        if (is(*p, "externalAccountRequired"))
            co_return fail(errc::config_error, "the CA requires external account binding: set eab_kid and "
                                                   "eab_hmac_key in [acme] (from your CA's account page)");
        co_return fail(errc::acme_problem, describe(*p, "account registration"));
    }
    auto loc = res->header("Location");
    if (!loc) co_return fail(errc::protocol_error, "the CA created an account but sent no Location header");
    account_url_ = resolve_reference(directory_.new_account, *loc).value_or(std::string(*loc));
    spdlog::info("ACME account {} {} at {}", account_url_, res->status == 201 ? "created" : "found", options_.directory_url);
    co_return result<void>{};
}

asio::awaitable<result<void>> client::revoke(std::string certificate_pem, int reason) {
    auto facts = crypto::inspect_certificate(certificate_pem);
    if (!facts) co_return fail(errc::invalid_argument, "the stored certificate cannot be parsed");
    auto payload = revoke_payload(facts->der, reason);
    if (!payload) co_return fail(errc::invalid_argument, "invalid revocation reason " + std::to_string(reason));
    auto res = co_await post(directory_.revoke_cert, *payload, "revokeCert");
    if (!res) co_return res.error();
    if (auto p = problem_of(*res, std::chrono::system_clock::now()))
        co_return fail(errc::acme_problem, describe(*p, "revocation of serial " + facts->serial_hex));
    co_return result<void>{};
}
}  // namespace certman::acme
