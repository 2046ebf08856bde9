// Drives one order_flow: performs each action the state machine asks for and feeds the parsed response back.
// No decisions here (STYLE.md §2): which request comes next, when to poll and when to give up is the flow's.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include "certman/acme/client.hpp"
#include "certman/acme/link.hpp"
#include "certman/acme/payloads.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/csr.hpp"
#include "certman/jose/key_authorization.hpp"

namespace certman::acme {
namespace asio = boost::asio;

namespace {
timestamp now() { return std::chrono::system_clock::now(); }

asio::awaitable<void> sleep_for(std::chrono::seconds d) {
    if (d.count() <= 0) co_return;
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

std::optional<std::chrono::seconds> retry_after_of(const net::http_response& res) {
    if (auto h = res.header("Retry-After")) return parse_retry_after(*h, now());
    return std::nullopt;
}

// The event for a response: a problem, a transport error, or what `parse` makes of the body.
template <class Parse>
event to_event(const result<net::http_response>& res, const std::string& what, Parse parse) {
    if (!res) return request_failed{res.error(), what + ": " + res.error().message()};
    if (auto p = problem_of(*res, now())) return problem_received{*p};
    return parse(*res);
}

std::vector<std::string> names_of(const std::vector<identifier>& ids) {
    std::vector<std::string> out;
    for (const auto& i : ids) out.push_back(i.value);
    return out;
}
}  // namespace

asio::awaitable<action> client::run_action(order_flow& flow, const action& a, order_request& req, challenge_sink& sink) {
    auto bad_body = [](const std::string& what, const std::string& why) -> event {
        return request_failed{make_error_code(errc::protocol_error), "the CA sent an unreadable " + what + ": " + why};
    };
    if (auto* x = std::get_if<create_order>(&a)) {
        auto res = co_await run_post(x->url, x->payload, "newOrder");
        auto ev = to_event(res, "newOrder", [&](const net::http_response& r) -> event {
            std::string why;
            auto o = parse_order(r.body, &why);
            if (!o) return bad_body("order", why);
            auto loc = r.header("Location");
            if (!loc) return bad_body("order", "no Location header");
            return order_created{resolve_reference(x->url, *loc).value_or(std::string(*loc)), std::move(*o)};
        });
        // The flow orders once more without "replaces" (RFC 9773 §5); say so, the operator sees one order.
        if (auto* p = std::get_if<problem_received>(&ev); p && is(p->problem, "alreadyReplaced") && req.flow.replaces)
            spdlog::info("newOrder: the CA says certificate {} was already replaced; ordering without \"replaces\"",
                         *req.flow.replaces);
        co_return flow.next(std::move(ev), now());
    }
    if (std::holds_alternative<fetch_authorization>(a) || std::holds_alternative<poll_authorization>(a)) {
        std::string url;
        if (auto* f = std::get_if<fetch_authorization>(&a)) url = f->url;
        if (auto* p = std::get_if<poll_authorization>(&a)) {
            url = p->url;
            co_await sleep_for(p->after);
        }
        auto res = co_await run_post(url, std::string(post_as_get_payload), "authz");
        co_return flow.next(to_event(res, "authorization", [&](const net::http_response& r) -> event {
            std::string why;
            auto z = parse_authorization(r.body, &why);
            if (!z) return bad_body("authorization", why);
            return authorization_fetched{url, std::move(*z), retry_after_of(r)};
        }), now());
    }
    if (auto* x = std::get_if<publish_challenge>(&a)) {
        auto r = co_await sink.publish(x->token, jose::key_authorization(x->token, thumbprint_));
        if (!r) co_return flow.next(request_failed{r.error(), "cannot publish the HTTP-01 challenge for " + x->identifier.value}, now());
        co_return flow.next(challenge_published{x->token}, now());
    }
    if (auto* x = std::get_if<respond_challenge>(&a)) {
        auto res = co_await run_post(x->url, challenge_response_payload(), "challenge");
        co_return flow.next(to_event(res, "challenge", [&](const net::http_response& r) -> event {
            std::string why;
            auto c = parse_challenge(r.body, &why);
            if (!c) return bad_body("challenge", why);
            return challenge_answered{std::move(*c)};
        }), now());
    }
    if (auto* x = std::get_if<poll_order>(&a)) {
        co_await sleep_for(x->after);
        auto res = co_await run_post(x->url, std::string(post_as_get_payload), "order");
        co_return flow.next(to_event(res, "order", [&](const net::http_response& r) -> event {
            std::string why;
            auto o = parse_order(r.body, &why);
            if (!o) return bad_body("order", why);
            return order_polled{std::move(*o), retry_after_of(r)};
        }), now());
    }
    if (auto* x = std::get_if<finalize_order>(&a)) {
        auto csr = crypto::make_csr_der(*req.certificate_key, names_of(x->identifiers));
        if (!csr) co_return flow.next(request_failed{csr.error(), "cannot build the CSR"}, now());
        auto res = co_await run_post(x->url, finalize_payload(*csr), "finalize");
        co_return flow.next(to_event(res, "finalize", [&](const net::http_response& r) -> event {
            std::string why;
            auto o = parse_order(r.body, &why);
            if (!o) return bad_body("order", why);
            return finalize_answered{std::move(*o), retry_after_of(r)};
        }), now());
    }
    if (auto* x = std::get_if<download_certificate>(&a)) {
        auto res = co_await run_post(x->url, std::string(post_as_get_payload), "certificate");
        co_return flow.next(to_event(res, "certificate", [&](const net::http_response& r) -> event {
            auto links = r.headers_named("Link");
            return certificate_downloaded{r.body, links_with_rel(links, "alternate", x->url), x->url};
        }), now());
    }
    if (auto* x = std::get_if<unpublish_challenges>(&a)) {
        for (const auto& t : x->tokens) co_await sink.unpublish(t);
        co_return flow.next(challenges_unpublished{}, now());
    }
    co_return a;  // terminal
}

asio::awaitable<result<std::string>> client::run_pick_chain(const done& d, const std::string& preferred) {
    auto top_issuer = [](const std::string& pem) -> std::string {
        auto certs = crypto::split_pem_chain(pem);
        if (!certs || certs->empty()) return {};
        auto facts = crypto::inspect_certificate(certs->back());
        return facts ? facts->issuer_cn : std::string();
    };
    if (preferred.empty() || top_issuer(d.certificate_pem) == preferred) co_return d.certificate_pem;
    for (const auto& url : d.alternates) {
        auto res = co_await run_post(url, std::string(post_as_get_payload), "certificate");
        if (res && res->status == 200 && top_issuer(res->body) == preferred) co_return res->body;
    }
    spdlog::warn("preferred_chain \"{}\": no chain offered by the CA ends at that issuer; using the default chain",
                 preferred);
    co_return d.certificate_pem;
}

asio::awaitable<result<issued_certificate>> client::run_order(order_request req, challenge_sink& sink,
                                                               cancel_check cancel, failure* why) {
    order_flow flow(req.identifiers, directory_.new_order, req.flow);
    action a = flow.start(now());
    bool cancelled = false;
    while (!is_terminal(a)) {
        if (!cancelled && cancel) {
            if (auto reason = cancel(); !reason.empty()) {
                cancelled = true;
                a = flow.cancel(reason);
                continue;
            }
        }
        a = co_await run_action(flow, a, req, sink);
    }
    if (auto* f = std::get_if<failed>(&a)) {
        if (why) *why = failure{f->code, f->description, f->problem};
        co_return fail(f->code, f->description, f->problem);
    }
    const auto& d = std::get<done>(a);
    auto chain = co_await run_pick_chain(d, req.preferred_chain);
    if (!chain) co_return chain.error();
    co_return issued_certificate{std::move(*chain), d.order_url, d.certificate_url};
}
}  // namespace certman::acme
