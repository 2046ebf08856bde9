// The order-level half of order_flow: dispatch, the order's status transitions (§7.1.6), polling schedule,
// deadline and the way out. Authorizations and challenges are in order_flow_authz.cpp.
#include "certman/acme/order_flow.hpp"
#include <algorithm>
#include <cctype>
#include "certman/acme/payloads.hpp"
#include "certman/core/ascii.hpp"

namespace certman::acme {
namespace {
// §7.4: the CA may normalise case, and may list identifiers in any order.
bool same_identifiers(const std::vector<identifier>& a, const std::vector<identifier>& b) {
    auto key = [](const std::vector<identifier>& ids) {
        std::vector<std::string> out;
        for (const auto& id : ids) out.push_back(ascii_lower(id.type) + ":" + ascii_lower(id.value));
        std::sort(out.begin(), out.end());
        return out;
    };
    return key(a) == key(b);
}

const char* event_name(const event& e) {
    static constexpr const char* names[] = {"order_created",        "order_polled",        "authorization_fetched",
                                            "challenge_published",  "challenge_answered",  "finalize_answered",
                                            "certificate_downloaded", "challenges_unpublished", "problem_received",
                                            "request_failed"};
    return names[e.index()];
}
}  // namespace

bool is_terminal(const action& a) noexcept {
    return std::holds_alternative<done>(a) || std::holds_alternative<failed>(a);
}

order_flow::order_flow(std::vector<identifier> identifiers, std::string new_order_url, flow_config config)
    : identifiers_(std::move(identifiers)), new_order_url_(std::move(new_order_url)), config_(std::move(config)) {}

action order_flow::start(timestamp now) {
    if (phase_ == phase::finished) return *terminal_;
    if (phase_ != phase::idle) return fail(errc::protocol_error, context() + ": start() called twice");
    if (identifiers_.empty()) return fail(errc::invalid_argument, "order with no identifiers");
    if (now >= config_.deadline) return fail(errc::timeout, context() + " timed out before it started");
    return create();
}

action order_flow::create() {
    phase_ = phase::creating;
    const std::optional<std::string_view> replaces =
        config_.replaces && !replaces_dropped_ ? std::optional<std::string_view>(*config_.replaces) : std::nullopt;
    const std::optional<std::string_view> profile =
        config_.profile ? std::optional<std::string_view>(*config_.profile) : std::nullopt;
    return create_order{new_order_url_, new_order_payload(identifiers_, profile, replaces)};
}

action order_flow::next(const event& e, timestamp now) {
    if (phase_ == phase::finished) return *terminal_;
    if (const auto* x = std::get_if<challenges_unpublished>(&e); x && phase_ == phase::unpublishing) {
        phase_ = phase::finished;
        return *terminal_;
    }
    if (phase_ == phase::idle || phase_ == phase::unpublishing)
        return fail(errc::protocol_error, context() + ": driver fed " + event_name(e) + " while " + doing());
    if (now >= config_.deadline) return fail(errc::timeout, context() + " timed out while " + doing());
    if (const auto* x = std::get_if<problem_received>(&e)) return on_problem(x->problem);
    if (const auto* x = std::get_if<request_failed>(&e))
        return fail(x->error, context() + " failed while " + doing() + ": " + x->detail +
                                  (x->detail.empty() ? "" : ": ") + x->error.message());
    if (const auto* x = std::get_if<order_created>(&e); x && phase_ == phase::creating) {
        if (!same_identifiers(x->order.identifiers, identifiers_))
            return fail(errc::protocol_error, context() + ": the CA created an order for other identifiers (" +
                                                  join_values(x->order.identifiers) + ")");
        order_url_ = x->url;
        return on_order(x->order, std::nullopt, now);
    }
    if (const auto* x = std::get_if<order_polled>(&e);
        x && (phase_ == phase::awaiting_ready || phase_ == phase::awaiting_valid))
        return on_order(x->order, x->retry_after, now);
    if (const auto* x = std::get_if<finalize_answered>(&e); x && phase_ == phase::finalizing)
        return on_order(x->order, x->retry_after, now);
    if (const auto* x = std::get_if<authorization_fetched>(&e);
        x && (phase_ == phase::fetching_authz || phase_ == phase::polling_authz))
        return on_authorization(*x, now);
    if (const auto* x = std::get_if<challenge_published>(&e); x && phase_ == phase::publishing)
        return on_published(*x);
    if (const auto* x = std::get_if<challenge_answered>(&e); x && phase_ == phase::responding)
        return on_answered(*x, now);
    if (const auto* x = std::get_if<certificate_downloaded>(&e); x && phase_ == phase::downloading) {
        if (x->pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
            return fail(errc::protocol_error, context() + ": the certificate download is not a PEM chain");
        return finish(done{x->pem, x->alternates, order_url_, x->url});
    }
    return fail(errc::protocol_error, context() + ": driver fed " + event_name(e) + " while " + doing());
}

action order_flow::cancel(std::string_view reason) {
    if (phase_ == phase::finished || phase_ == phase::unpublishing) return *terminal_;
    return fail(errc::cancelled, context() + " cancelled while " + doing() + ": " + std::string(reason));
}

// §7.1.6 order states. Which ones are expected depends on where we are; the rest are protocol errors.
action order_flow::on_order(const order& o, std::optional<std::chrono::seconds> retry_after, timestamp now) {
    finalize_url_ = o.finalize;
    switch (o.status) {
    case status::pending:
        if (phase_ == phase::creating) {
            authz_urls_ = o.authorizations;
            fetch_index_ = 0;
            phase_ = phase::fetching_authz;
            return after_fetching(now);
        }
        if (phase_ == phase::awaiting_ready) return poll(true, order_url_, retry_after, now);
        break;
    case status::ready:
        if (phase_ == phase::finalizing || phase_ == phase::awaiting_valid) {
            phase_ = phase::awaiting_valid;  // finalize accepted but not processed yet
            return poll(true, order_url_, retry_after, now);
        }
        phase_ = phase::finalizing;
        return finalize_order{o.finalize, identifiers_};
    case status::processing:
        phase_ = phase::awaiting_valid;
        return poll(true, order_url_, retry_after, now);
    case status::valid:
        if (!o.certificate) return fail(errc::protocol_error, context() + ": the order is valid but has no certificate URL");
        phase_ = phase::downloading;
        return download_certificate{*o.certificate};
    case status::invalid:
        if (o.error) return fail(errc::acme_problem, describe(*o.error, context() + ": the order is invalid"), o.error);
        return fail(errc::acme_problem, context() + ": the order is invalid (the CA gave no reason)");
    default:
        break;
    }
    return fail(errc::protocol_error,
                context() + ": unexpected order status \"" + std::string(to_string(o.status)) + "\" while " + doing());
}

action order_flow::on_problem(const problem& p) {
    // RFC 9773 §5: 409 alreadyReplaced means another client renewed that certificate; order without replaces.
    if (phase_ == phase::creating && is(p, "alreadyReplaced") && config_.replaces && !replaces_dropped_) {
        replaces_dropped_ = true;
        return create();
    }
    return fail(errc::acme_problem, describe(p, context() + " failed while " + doing()), p);
}

action order_flow::poll(bool order, std::string url, std::optional<std::chrono::seconds> retry_after, timestamp now) {
    using std::chrono::seconds;
    // The backoff restarts for each resource and each wait (waiting for "ready" and then for "valid" on the
    // same order URL are two waits).
    const std::string key = url + "#" + std::to_string(static_cast<int>(phase_));
    if (key != poll_key_) {
        poll_key_ = key;
        poll_attempt_ = 0;
    }
    // Our own schedule: first_poll doubling up to max_poll, never under 1 s. §8.2's Retry-After can only
    // lengthen a wait: "Retry-After: 0" must not turn the client into a busy loop.
    seconds after = std::max(config_.first_poll, seconds{1});
    for (unsigned i = 0; i < poll_attempt_ && after < config_.max_poll; ++i) after *= 2;
    after = std::max(std::min(after, config_.max_poll), seconds{1});
    ++poll_attempt_;
    const bool ca_wait = retry_after && *retry_after > after;
    if (ca_wait) after = *retry_after;
    // A wait that reaches the deadline ends the order now rather than sleeping into a certain timeout. Compared
    // in whole seconds: any seconds value, however large, is safe against the (small) time left.
    const seconds left = std::chrono::ceil<seconds>(config_.deadline - now);
    if (after >= left)
        return fail(errc::timeout, context() + " timed out while " + doing() + ": the next poll (in " +
                                       std::to_string(after.count()) + " s" + (ca_wait ? ", the CA's Retry-After" : "") +
                                       ") would be past the deadline (" + std::to_string(left.count()) + " s left)");
    if (order) return poll_order{std::move(url), after};
    return poll_authorization{std::move(url), after};
}

action order_flow::fail(error_code code, std::string description, std::optional<problem> p) {
    return finish(failed{code, std::move(description), std::move(p)});
}

action order_flow::finish(action terminal) {
    terminal_ = std::move(terminal);
    if (published_.empty()) {
        phase_ = phase::finished;
        return *terminal_;
    }
    phase_ = phase::unpublishing;
    return unpublish_challenges{published_};
}

std::string order_flow::context() const { return "order for " + join_values(identifiers_); }

std::string order_flow::doing() const {
    switch (phase_) {
    case phase::idle: return "not started";
    case phase::creating: return "creating the order";
    case phase::fetching_authz: return "fetching authorizations";
    case phase::publishing: return "publishing the challenge token";
    case phase::responding: return "answering the challenge";
    case phase::polling_authz: return "waiting for the authorization to be validated";
    case phase::awaiting_ready: return "waiting for the order to become ready";
    case phase::finalizing: return "finalizing the order";
    case phase::awaiting_valid: return "waiting for the certificate to be issued";
    case phase::downloading: return "downloading the certificate";
    case phase::unpublishing: return "removing challenge tokens";
    case phase::finished: return "finished";
    }
    return "unknown";
}

}  // namespace certman::acme
