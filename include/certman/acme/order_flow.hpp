// The order flow of RFC 8555 §7.4 as a state machine without I/O (STYLE.md §2): given the identifiers to
// certify, it says what to do next (create the order, fetch each authorization, publish an http-01 token,
// answer the challenge, poll, finalize, download, unpublish) and the driver does it, then feeds back the parsed
// response as an event. The driver only signs, sends, parses and feeds: it never decides.
//
// Sequence for a fresh order: create_order → order_created → fetch_authorization (one per authorization URL) →
// authorization_fetched ... → publish_challenge → challenge_published → respond_challenge → challenge_answered
// (per pending authorization) → poll_authorization → authorization_fetched (until valid) → poll_order →
// order_polled (until ready) → finalize_order → finalize_answered → poll_order (while processing) →
// download_certificate → certificate_downloaded → unpublish_challenges → challenges_unpublished → done.
// Valid (reused) authorizations are skipped. Any failure also goes through unpublish_challenges when tokens
// were published, so the challenge store never keeps stale tokens.
//
// Time: every call takes `now`; once now ≥ deadline the flow fails with errc::timeout (after unpublishing).
// Polls follow their own schedule, first_poll doubling up to max_poll (1, 2, 4, 8, 8 ... s), never under 1 s.
// The CA's Retry-After (§8.2; Boulder sends it, Pebble does not) can lengthen a wait, never shorten it, so
// "Retry-After: 0" cannot make a busy loop. Every poll wait is between 1 s and the time left before the
// deadline: a wait that would reach the deadline (say Retry-After: 8000000000) fails the order at once with
// errc::timeout and a message naming the wait, instead of sleeping into a certain timeout. The one exception
// is the look at the order right after its last authorization became valid (0 s, our own decision).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>
#include "certman/acme/authorization.hpp"
#include "certman/acme/identifier.hpp"
#include "certman/acme/order.hpp"
#include "certman/acme/problem.hpp"
#include "certman/acme/time_format.hpp"
#include "certman/core/result.hpp"

namespace certman::acme {

struct flow_config {
    std::string challenge_type = "http-01";  // the only type the embedded server can answer
    std::optional<std::string> profile;      // sent in newOrder when set (check offers_profile first)
    std::optional<std::string> replaces;     // RFC 9773 ARI certID; dropped once on 409 alreadyReplaced
    timestamp deadline;                       // overall limit for the whole order
    std::chrono::seconds first_poll{1};       // values under 1 s count as 1 s
    std::chrono::seconds max_poll{8};
};

// ---- actions: what the driver must do next ----
struct create_order {          // POST `payload` to newOrder; feed order_created (url = Location header)
    std::string url;
    std::string payload;
};
struct fetch_authorization {   // POST-as-GET `url`; feed authorization_fetched
    std::string url;
};
struct publish_challenge {     // store token → token + "." + thumbprint(account key); feed challenge_published
    std::string token;
    acme::identifier identifier;  // for logs only
};
struct respond_challenge {     // POST challenge_response_payload() to `url`; feed challenge_answered
    std::string url;
};
struct poll_authorization {    // wait `after`, POST-as-GET `url`; feed authorization_fetched
    std::string url;
    std::chrono::seconds after{0};
};
struct poll_order {            // wait `after`, POST-as-GET `url`; feed order_polled
    std::string url;
    std::chrono::seconds after{0};
};
struct finalize_order {        // build a CSR for `identifiers`, POST finalize_payload(der) to `url`;
    std::string url;           // feed finalize_answered
    std::vector<acme::identifier> identifiers;
};
struct download_certificate {  // POST-as-GET with Accept: application/pem-certificate-chain (§7.4.2);
    std::string url;           // feed certificate_downloaded with the Link rel="alternate" targets
};
struct unpublish_challenges {  // remove these tokens from the challenge store; feed challenges_unpublished
    std::vector<std::string> tokens;
};
struct done {                  // terminal: the certificate chain (PEM) and the alternate chain URLs
    std::string certificate_pem;
    std::vector<std::string> alternates;
    std::string order_url;
    std::string certificate_url;
};
struct failed {                // terminal: description is one line for an SRE (names the identifiers)
    error_code code;           // errc::acme_problem, timeout, protocol_error, config_error, cancelled, or the
    std::string description;   // transport's error from request_failed
    std::optional<acme::problem> problem;  // the CA's problem, with retry_after for rateLimited
};
using action = std::variant<create_order, fetch_authorization, publish_challenge, respond_challenge,
                            poll_authorization, poll_order, finalize_order, download_certificate,
                            unpublish_challenges, done, failed>;

// ---- events: what happened, with the parsed response ----
struct order_created {         // 201 from newOrder
    std::string url;           // the Location header, resolved to an absolute URL
    acme::order order;
};
struct order_polled {
    acme::order order;
    std::optional<std::chrono::seconds> retry_after;
};
struct authorization_fetched {
    std::string url;           // the URL that was fetched
    acme::authorization authorization;
    std::optional<std::chrono::seconds> retry_after;
};
struct challenge_published {
    std::string token;
};
struct challenge_answered {
    acme::challenge challenge;
};
struct finalize_answered {
    acme::order order;
    std::optional<std::chrono::seconds> retry_after;
};
struct certificate_downloaded {
    std::string pem;
    std::vector<std::string> alternates;
    std::string url;  // the certificate URL it came from
};
struct challenges_unpublished {};
struct problem_received {      // any request answered with a problem (after the driver's own badNonce retries)
    acme::problem problem;
};
struct request_failed {        // transport failure or an unparsable response
    error_code error;
    std::string detail;
};
using event = std::variant<order_created, order_polled, authorization_fetched, challenge_published,
                           challenge_answered, finalize_answered, certificate_downloaded, challenges_unpublished,
                           problem_received, request_failed>;

// True for done and failed.
bool is_terminal(const action& a) noexcept;

class order_flow {
public:
    // `identifiers` must be non-empty; `new_order_url` is the directory's newOrder.
    order_flow(std::vector<identifier> identifiers, std::string new_order_url, flow_config config);

    // The first action: create_order (or failed if the identifiers are empty or the deadline has passed).
    action start(timestamp now);
    // Feeds the response to the previous action and returns the next one. An event that does not answer the
    // previous action is a driver bug: the flow fails with errc::protocol_error. After a terminal action, the
    // same terminal action is returned again.
    action next(const event& e, timestamp now);
    // Gives up (shutdown): unpublishes what was published, then fails with errc::cancelled and `reason`.
    action cancel(std::string_view reason);

    bool finished() const noexcept { return phase_ == phase::finished; }
    const std::vector<identifier>& identifiers() const noexcept { return identifiers_; }
    const std::string& order_url() const noexcept { return order_url_; }
    // Tokens currently published (the driver may use this to clean up after a crash of its own).
    const std::vector<std::string>& published_tokens() const noexcept { return published_; }

    enum class phase {
        idle, creating, fetching_authz, publishing, responding, polling_authz, awaiting_ready, finalizing,
        awaiting_valid, downloading, unpublishing, finished
    };
    phase current_phase() const noexcept { return phase_; }

private:
    struct pending_authz {
        std::string url;
        acme::identifier identifier;
        std::string challenge_url;
        std::string token;
        bool respond = true;  // false when the challenge is already processing
        bool valid = false;   // the challenge answer said valid: no need to poll
    };

    action create();
    action on_order(const order& o, std::optional<std::chrono::seconds> retry_after, timestamp now);
    action on_authorization(const authorization_fetched& e, timestamp now);
    std::optional<action> on_fetched(const authorization_fetched& e);
    action invalid_authorization(const authorization& a);
    action on_polled(const authorization& a, std::optional<std::chrono::seconds> retry_after, timestamp now);
    action on_published(const challenge_published& e);
    action on_answered(const challenge_answered& e, timestamp now);
    action on_problem(const problem& p);
    action after_fetching(timestamp now);
    action next_publish(timestamp now);
    action next_authz_poll(timestamp now);
    action poll(bool order, std::string url, std::optional<std::chrono::seconds> retry_after, timestamp now);
    action fail(error_code code, std::string description, std::optional<problem> p = std::nullopt);
    action finish(action terminal);
    std::string context() const;
    std::string doing() const;

    std::vector<identifier> identifiers_;
    std::string new_order_url_;
    flow_config config_;
    phase phase_ = phase::idle;
    bool replaces_dropped_ = false;
    std::string order_url_;
    std::string finalize_url_;
    std::vector<std::string> authz_urls_;
    std::size_t fetch_index_ = 0;
    std::vector<pending_authz> work_;
    std::size_t work_index_ = 0;
    std::string poll_key_;
    unsigned poll_attempt_ = 0;
    std::vector<std::string> published_;
    std::optional<action> terminal_;
};

}  // namespace certman::acme
