// The ACME client driver (RFC 8555): the thin coroutine layer around the pure pieces. It fetches the
// directory, keeps a nonce pool fed by every Replay-Nonce, signs each request (JWS with the account key),
// retries badNonce a bounded number of times (§6.5: nothing else is retried blindly), finds or creates the
// account, and drives order_flow: every decision about an order is the state machine's, the driver only
// signs, sends, parses and feeds. Every request has a timeout (options.request_timeout), every order a
// deadline (flow_config.deadline).
//
// Errors: each awaitable below fails with a failure (core/failure.hpp) whose code is errc::acme_problem, timeout,
// protocol_error, config_error, cancelled or the transport's, and whose message is a one-line description for
// an SRE that names the identifiers, the CA's problem type and detail and each subproblem. order_certificate also hands
// back the problem itself (rateLimited carries Retry-After up to the caller).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/system_timer.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>
#include <unordered_map>
#include "certman/acme/challenge_solver.hpp"
#include "certman/acme/directory.hpp"
#include "certman/acme/nonce_pool.hpp"
#include "certman/acme/order_flow.hpp"
#include "certman/core/result.hpp"
#include "certman/crypto/private_key.hpp"
#include "certman/net/http_client.hpp"

namespace certman::acme {

struct client_options {
    std::string directory_url;
    std::vector<std::string> emails;
    bool agree_tos = false;
    std::string eab_kid;
    std::string eab_hmac_key;  // base64url; secret
    std::chrono::seconds request_timeout{30};
    int max_bad_nonce_retries = 20;  // Pebble can reject half of all nonces on purpose
};

// The order's challenges go to a challenge_solver (contract in challenge_solver.hpp); the former name stays.
using challenge_sink = challenge_solver;

struct order_request {
    std::vector<identifier> identifiers;
    const crypto::private_key* certificate_key = nullptr;  // the CSR's key
    flow_config flow;
    std::string preferred_chain;  // issuer CN of the chain's top certificate to prefer; "" = CA default
};

struct issued_certificate {
    std::string chain_pem;  // leaf first
    std::string order_url;
    std::string certificate_url;
};

// Called after every ACME request: kind ("newOrder", "finalize", ...), HTTP status (0 = transport error),
// duration. For metrics.
using request_observer = std::function<void(std::string_view kind, unsigned status, double seconds)>;

// Asked before every step of an order: a non-empty answer cancels it (what was published is unpublished,
// then the order fails with errc::cancelled and that reason). Used for shutdown and for a lost lease.
using cancel_check = std::function<std::string()>;

class client {
public:
    client(boost::asio::any_io_executor executor, net::http_client& http, crypto::private_key account_key,
           client_options options, request_observer observer = {});

    boost::asio::awaitable<result<void>> fetch_directory();
    // Finds the account of this key, or creates it (requires agree_tos). Needs fetch_directory first.
    boost::asio::awaitable<result<void>> set_up_account();
    // The whole order ends by request.flow.deadline on the wall clock, even when the CA stalls (failure:
    // errc::timeout), and what the CA issued is checked (check_issued_certificate: names, validity, key)
    // before it is returned (failure: errc::protocol_error naming the check).
    // The order flow answers challenges of sink.type() (request.flow.challenge_type is set from it).
    // On failure *ca_problem (when given) receives the CA's problem document if the order failed with one
    // (nullopt otherwise). `cancel` (when set) must outlive the call.
    boost::asio::awaitable<result<issued_certificate>> order_certificate(order_request request, challenge_sink& sink,
                                                                 cancel_check cancel = {},
                                                                 std::optional<problem>* ca_problem = nullptr);
    // Revokes with the account key (RFC 8555 §7.6); reason per RFC 5280 (0 unspecified, 1 keyCompromise ...).
    boost::asio::awaitable<result<void>> revoke(std::string certificate_pem, int reason);
    // Rolls the account key over to `new_key` (RFC 8555 §7.3.5, client_key_change.cpp). Needs set_up_account first.
    // On success this client signs with new_key from then on; on failure it keeps the old key (errc::acme_problem
    // with the CA's problem, e.g. "the new key is already in use", or the transport's error: then the CA's
    // state is unknown and the caller must ask it, see app/account_rollover.cpp).
    boost::asio::awaitable<result<void>> change_key(crypto::private_key new_key);
    // POST-as-GET any URL with the account key (ARI is unauthenticated GET: use the http client directly).
    boost::asio::awaitable<result<net::http_response>> post(std::string url, std::string payload, std::string_view kind,
                                                                bool use_jwk = false);

    const directory& dir() const noexcept { return directory_; }
    // The directory URL this client orders from (client_options::directory_url).
    const std::string& directory_url() const noexcept { return options_.directory_url; }
    const std::string& account_url() const noexcept { return account_url_; }
    const std::string& thumbprint() const noexcept { return thumbprint_; }
    std::uint64_t bad_nonce_retries() const noexcept { return bad_nonce_retries_; }

private:
    boost::asio::awaitable<result<std::string>> fresh_nonce();
    boost::asio::awaitable<result<net::http_response>> send(net::http_request req, std::string_view kind);
    boost::asio::awaitable<event> perform_step(action a, order_request& req, challenge_sink& sink);
    boost::asio::awaitable<event> present_challenge(const publish_challenge& x, challenge_sink& sink);
    boost::asio::awaitable<event> clean_up_challenges(const unpublish_challenges& x, challenge_sink& sink);
    boost::asio::awaitable<event> get_authorization(std::string url);
    boost::asio::awaitable<action> drive_order(order_flow& flow, order_request& req, challenge_sink& sink,
                                            const cancel_check& cancel, boost::asio::system_timer& deadline);
    boost::asio::awaitable<result<std::string>> pick_chain(const done& d, const std::string& preferred);
    static failure fail(error_code code, std::string description);

    boost::asio::any_io_executor executor_;
    net::http_client& http_;
    crypto::private_key account_key_;
    client_options options_;
    request_observer observer_;
    directory directory_;
    nonce_pool nonces_;
    std::string account_url_;
    std::string thumbprint_;
    std::unordered_map<std::string, challenge_params> presented_;  // token → what sink.present() was given
    std::uint64_t bad_nonce_retries_ = 0;
};

// A response with an application/problem+json body (or any 4xx/5xx) as a problem; nullopt for success.
std::optional<problem> problem_of(const net::http_response& res, timestamp now);

}  // namespace certman::acme
