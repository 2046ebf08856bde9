// The authorization half of order_flow (RFC 8555 §7.5, §8.3): fetch every authorization, keep the valid ones
// (authorization reuse), publish and answer one http-01 challenge per pending one, then poll each until valid.
#include <algorithm>
#include "certman/acme/order_flow.hpp"
#include "certman/core/base64url.hpp"

namespace certman::acme {
namespace {

std::string display(const authorization& a) {
    return a.wildcard ? "*." + a.identifier.value : a.identifier.value;
}

std::string offered_types(const authorization& a) {
    std::string out;
    for (const auto& c : a.challenges) out += (out.empty() ? "" : ", ") + c.type;
    return out.empty() ? "none" : out;
}

// The challenge whose error explains an invalid authorization: ours first, else any with an error.
const challenge* failed_challenge(const authorization& a, std::string_view type) {
    if (const auto* c = find_challenge(a, type); c && c->error) return c;
    for (const auto& c : a.challenges)
        if (c.error) return &c;
    return nullptr;
}
}  // namespace

action order_flow::on_authorization(const authorization_fetched& e, timestamp now) {
    if (phase_ == phase::fetching_authz) {
        if (fetch_index_ >= authz_urls_.size() || e.url != authz_urls_[fetch_index_])
            return fail(errc::protocol_error, context() + ": driver fed authorization " + e.url + ", expected " +
                                                  (fetch_index_ < authz_urls_.size() ? authz_urls_[fetch_index_] : "none"));
        if (auto failure = on_fetched(e)) return std::move(*failure);
        ++fetch_index_;
        return after_fetching(now);
    }
    if (work_index_ >= work_.size() || e.url != work_[work_index_].url)
        return fail(errc::protocol_error, context() + ": driver fed authorization " + e.url + " while polling another");
    return on_polled(e.authorization, e.retry_after, now);
}

std::optional<action> order_flow::on_fetched(const authorization_fetched& e) {
    const authorization& a = e.authorization;
    switch (a.status) {
    case status::valid:
        return std::nullopt;  // reused from an earlier order (§7.1.4)
    case status::pending:
        break;
    case status::invalid:
        return invalid_authorization(a);
    default:
        return fail(errc::acme_problem, context() + ": authorization for " + display(a) + " is " +
                                            std::string(to_string(a.status)));
    }
    if (a.wildcard && config_.challenge_type == "http-01")
        return fail(errc::config_error, context() + ": " + display(a) +
                                            " is a wildcard, which http-01 cannot validate (RFC 8555 §7.1.3); use dns-01");
    const challenge* c = find_challenge(a, config_.challenge_type);
    if (!c)
        return fail(errc::unsupported, context() + ": the CA offers no " + config_.challenge_type + " challenge for " +
                                           display(a) + " (offers: " + offered_types(a) + ")");
    if (c->status == status::invalid) return invalid_authorization(a);
    // The token becomes a path in the challenge store and a file name on the wire: §8.1 requires base64url.
    if (c->type == "http-01" && !is_base64url_token(c->token))
        return fail(errc::protocol_error, context() + ": the " + c->type + " token for " + display(a) +
                                              " is not base64url");
    pending_authz w{e.url, a.identifier, c->url, c->token};
    w.respond = c->status == status::pending;
    w.valid = c->status == status::valid;
    work_.push_back(std::move(w));
    return std::nullopt;
}

action order_flow::invalid_authorization(const authorization& a) {
    const std::string what = context() + ": authorization for " + display(a) + " is invalid";
    if (const challenge* c = failed_challenge(a, config_.challenge_type))
        return fail(errc::acme_problem, describe(*c->error, what + " (" + c->type + " challenge)"), c->error);
    return fail(errc::acme_problem, what + " (the CA gave no challenge error)");
}

action order_flow::after_fetching(timestamp now) {
    if (fetch_index_ < authz_urls_.size()) return fetch_authorization{authz_urls_[fetch_index_]};
    work_index_ = 0;
    return next_publish(now);
}

action order_flow::next_publish(timestamp now) {
    while (work_index_ < work_.size() && !work_[work_index_].respond) ++work_index_;
    if (work_index_ < work_.size()) {
        phase_ = phase::publishing;
        return publish_challenge{work_[work_index_].token, work_[work_index_].identifier};
    }
    work_index_ = 0;
    return next_authz_poll(now);
}

action order_flow::on_published(const challenge_published& e) {
    const pending_authz& w = work_[work_index_];
    if (e.token != w.token)
        return fail(errc::protocol_error, context() + ": driver published token " + e.token + ", expected " + w.token);
    published_.push_back(w.token);
    phase_ = phase::responding;
    return respond_challenge{w.challenge_url};
}

action order_flow::on_answered(const challenge_answered& e, timestamp now) {
    pending_authz& w = work_[work_index_];
    const challenge& c = e.challenge;
    if (c.status == status::invalid) {
        const std::string what = context() + ": " + c.type + " challenge for " + w.identifier.value + " failed";
        if (c.error) return fail(errc::acme_problem, describe(*c.error, what), c.error);
        return fail(errc::acme_problem, what + " (the CA gave no error)");
    }
    w.valid = c.status == status::valid;
    ++work_index_;
    return next_publish(now);
}

action order_flow::next_authz_poll(timestamp now) {
    while (work_index_ < work_.size() && work_[work_index_].valid) ++work_index_;
    if (work_index_ < work_.size()) {
        phase_ = phase::polling_authz;
        return poll(false, work_[work_index_].url, std::nullopt, now);
    }
    // Every authorization is valid: the order should now be ready (§7.1.6); look once at once. This is the
    // only wait under 1 s, and it is ours, not the CA's; further looks follow poll()'s schedule.
    phase_ = phase::awaiting_ready;
    return poll_order{order_url_, std::chrono::seconds{0}};
}

action order_flow::on_polled(const authorization& a, std::optional<std::chrono::seconds> retry_after, timestamp now) {
    switch (a.status) {
    case status::valid:
        ++work_index_;
        return next_authz_poll(now);
    case status::pending:
    case status::processing:  // not an authorization state in §7.1.6, but harmless to wait on
        return poll(false, work_[work_index_].url, retry_after, now);
    case status::invalid:
        return invalid_authorization(a);
    default:
        return fail(errc::acme_problem, context() + ": authorization for " + display(a) + " is " +
                                            std::string(to_string(a.status)));
    }
}

}  // namespace certman::acme
