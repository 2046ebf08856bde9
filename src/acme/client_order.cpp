// Drives one order_flow: performs each action the state machine asks for and feeds the parsed response back.
// No decisions here (STYLE.md §2): which request comes next, when to poll and when to give up is the flow's.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include "certman/acme/client.hpp"
#include "certman/acme/issued_check.hpp"
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
    if (!res) return request_failed{res.error().code(), what + ": " + res.error().code().message()};
    if (auto p = problem_of(*res, now())) return problem_received{*p};
    return parse(*res);
}

// `step` raced against `deadline` (a wall-clock timer): the step's value, or nullopt when the deadline came
// first. The loser is cancelled through its per-operation cancellation slot, and has finished before this
// returns, so nothing it references may be gone yet. The step's exceptions propagate (a cancelled parent too).
template <class T>
asio::awaitable<std::optional<T>> before_deadline(asio::awaitable<T> step, asio::system_timer& deadline) {
    auto ex = co_await asio::this_coro::executor;
    auto [order, step_ex, value, timer_ex] =
        co_await asio::experimental::make_parallel_group(
            asio::co_spawn(ex, std::move(step), asio::deferred),
            asio::co_spawn(ex, deadline.async_wait(asio::use_awaitable), asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::deferred);
    if (order[0] == 0) {
        if (step_ex) std::rethrow_exception(step_ex);
        co_return std::move(value);
    }
    if (timer_ex) std::rethrow_exception(timer_ex);  // the whole order was cancelled, not timed out
    co_return std::nullopt;
}

std::vector<std::string> names_of(const std::vector<identifier>& ids) {
    std::vector<std::string> out;
    for (const auto& i : ids) out.push_back(i.value);
    return out;
}

// A response body the flow cannot use: a protocol error naming what was unreadable and why.
event bad_body(const std::string& what, const std::string& why) {
    return request_failed{make_error_code(errc::protocol_error), "the CA sent an unreadable " + what + ": " + why};
}
}  // namespace

// The challenge goes to the solver (challenge_solver.hpp): present, then wait until it is visible.
asio::awaitable<event> client::present_challenge(const publish_challenge& x, challenge_sink& sink) {
    auto& c = presented_[x.token] = challenge_params{x.identifier, x.token, jose::key_authorization(x.token, thumbprint_)};
    const std::string what = std::string(sink.type()) + " challenge for " + x.identifier.value;
    if (auto r = co_await sink.present(c); !r)
        co_return request_failed{r.error().code(), "cannot publish the " + what + ": " + r.error().message()};
    if (auto r = co_await sink.wait_ready(c); !r)
        co_return request_failed{r.error().code(), "the " + what + " did not become visible: " + r.error().message()};
    co_return challenge_published{x.token};
}

// Withdraws what present_challenge published (best effort, contract of challenge_solver::cleanup).
asio::awaitable<event> client::clean_up_challenges(const unpublish_challenges& x, challenge_sink& sink) {
    for (const auto& t : x.tokens) {
        auto it = presented_.find(t);
        if (it == presented_.end()) continue;  // never presented: nothing to remove
        co_await sink.cleanup(it->second);
        presented_.erase(it);
    }
    co_return challenges_unpublished{};
}

// POST-as-GET of an authorization (RFC 8555 §7.5), answered as the flow's event.
asio::awaitable<event> client::get_authorization(std::string url) {
    auto res = co_await post(url, std::string(post_as_get_payload), "authz");
    co_return to_event(res, "authorization", [&](const net::http_response& r) -> event {
        auto z = parse_authorization(r.body);
        if (!z) return request_failed{make_error_code(errc::protocol_error),
                                      "the CA sent an unreadable authorization: " + z.error().message()};
        return authorization_fetched{url, std::move(*z), retry_after_of(r)};
    });
}

// One action's I/O, answered with the event for the flow. It never touches the flow, so a step that loses the
// race against the order's deadline (and is cancelled mid-request) leaves the state machine as it was.
asio::awaitable<event> client::perform_step(action a, order_request& req, challenge_sink& sink) {
    if (auto* x = std::get_if<create_order>(&a)) {
        auto res = co_await post(x->url, x->payload, "newOrder");
        auto ev = to_event(res, "newOrder", [&](const net::http_response& r) -> event {
            auto o = parse_order(r.body);
            if (!o) return bad_body("order", o.error().message());
            auto loc = r.header("Location");
            if (!loc) return bad_body("order", "no Location header");
            return order_created{resolve_reference(x->url, *loc).value_or(std::string(*loc)), std::move(*o)};
        });
        // The flow orders once more without "replaces" (RFC 9773 §5); say so, the operator sees one order.
        if (auto* p = std::get_if<problem_received>(&ev); p && is(p->problem, "alreadyReplaced") && req.flow.replaces)
            spdlog::info("newOrder: the CA says certificate {} was already replaced; ordering without \"replaces\"",
                         *req.flow.replaces);
        co_return ev;
    }
    if (auto* x = std::get_if<fetch_authorization>(&a)) co_return co_await get_authorization(x->url);
    if (auto* x = std::get_if<poll_authorization>(&a)) {
        co_await sleep_for(x->after);
        co_return co_await get_authorization(x->url);
    }
    if (auto* x = std::get_if<publish_challenge>(&a)) co_return co_await present_challenge(*x, sink);
    if (auto* x = std::get_if<respond_challenge>(&a)) {
        auto res = co_await post(x->url, challenge_response_payload(), "challenge");
        co_return to_event(res, "challenge", [&](const net::http_response& r) -> event {
            auto c = parse_challenge(r.body);
            if (!c) return bad_body("challenge", c.error().message());
            return challenge_answered{std::move(*c)};
        });
    }
    if (auto* x = std::get_if<poll_order>(&a)) {
        co_await sleep_for(x->after);
        auto res = co_await post(x->url, std::string(post_as_get_payload), "order");
        co_return to_event(res, "order", [&](const net::http_response& r) -> event {
            auto o = parse_order(r.body);
            if (!o) return bad_body("order", o.error().message());
            return order_polled{std::move(*o), retry_after_of(r)};
        });
    }
    if (auto* x = std::get_if<finalize_order>(&a)) {
        auto csr = crypto::make_csr_der(*req.certificate_key, names_of(x->identifiers));
        if (!csr) co_return request_failed{csr.error().code(), "cannot build the CSR"};
        auto res = co_await post(x->url, finalize_payload(*csr), "finalize");
        co_return to_event(res, "finalize", [&](const net::http_response& r) -> event {
            auto o = parse_order(r.body);
            if (!o) return bad_body("order", o.error().message());
            return finalize_answered{std::move(*o), retry_after_of(r)};
        });
    }
    if (auto* x = std::get_if<download_certificate>(&a)) {
        auto res = co_await post(x->url, std::string(post_as_get_payload), "certificate");
        co_return to_event(res, "certificate", [&](const net::http_response& r) -> event {
            auto links = r.headers_named("Link");
            return certificate_downloaded{r.body, links_with_rel(links, "alternate", x->url), x->url};
        });
    }
    if (auto* x = std::get_if<unpublish_challenges>(&a)) co_return co_await clean_up_challenges(*x, sink);
    co_return request_failed{make_error_code(errc::protocol_error), "the driver was asked to run a terminal action"};
}

asio::awaitable<result<std::string>> client::pick_chain(const done& d, const std::string& preferred) {
    auto top_issuer = [](const std::string& pem) -> std::string {
        auto certs = crypto::split_pem_chain(pem);
        if (!certs || certs->empty()) return {};
        auto facts = crypto::inspect_certificate(certs->back());
        return facts ? facts->issuer_cn : std::string();
    };
    if (preferred.empty() || top_issuer(d.certificate_pem) == preferred) co_return d.certificate_pem;
    for (const auto& url : d.alternates) {
        auto res = co_await post(url, std::string(post_as_get_payload), "certificate");
        if (res && res->status == 200 && top_issuer(res->body) == preferred) co_return res->body;
    }
    spdlog::warn("preferred_chain \"{}\": no chain offered by the CA ends at that issuer; using the default chain",
                 preferred);
    co_return d.certificate_pem;
}

// Drives the flow from newOrder to a terminal action (done or failed), each step raced against `deadline`.
asio::awaitable<action> client::drive_order(order_flow& flow, order_request& req, challenge_sink& sink,
                                         const cancel_check& cancel, asio::system_timer& deadline) {
    const auto timed_out = [] {
        return request_failed{make_error_code(errc::timeout), "no answer before the order's deadline"};
    };
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
        if (std::holds_alternative<unpublish_challenges>(a)) {
            event ev = co_await perform_step(a, req, sink);
            a = flow.next(ev, now());
            continue;
        }
        std::optional<event> ev;
        try {
            ev = co_await before_deadline(perform_step(a, req, sink), deadline);
        } catch (const boost::system::system_error& e) {
            if (e.code() != asio::error::operation_aborted) throw;
            // The whole order was cancelled (certman is stopping): it ends through the flow, which withdraws
            // the published challenges and fails, so the caller records the attempt and releases its lease.
            cancelled = true;
            a = flow.cancel("certman is stopping");
            continue;
        }
        if (!ev) ev = timed_out();
        a = flow.next(*ev, now());
    }
    co_return a;
}

// The whole order races the wall clock: each step (a request, a poll's wait, a publish to shared storage) is
// raced against a system_timer set to the order's deadline (before_deadline), the loser cancelled. The state machine already refuses waits that reach the
// deadline; the race also bounds a CA that stalls a response, badNonce retries and slow storage. A timed-out
// step is fed to the flow as errc::timeout. Removing published tokens is not raced: they must not stay behind.
asio::awaitable<result<issued_certificate>> client::order_certificate(order_request req, challenge_sink& sink,
                                                               cancel_check cancel,
                                                               std::optional<problem>* ca_problem) {
    req.flow.challenge_type = std::string(sink.type());  // the flow picks the challenges this solver can answer
    order_flow flow(req.identifiers, directory_.new_order, req.flow);
    asio::system_timer deadline(co_await asio::this_coro::executor, req.flow.deadline);
    const action a = co_await drive_order(flow, req, sink, cancel, deadline);
    auto refuse = [&](error_code code, std::string description, std::optional<problem> p) {
        if (ca_problem) *ca_problem = std::move(p);
        return fail(code, std::move(description));
    };
    if (auto* f = std::get_if<failed>(&a)) co_return refuse(f->code, f->description, f->problem);
    const auto& d = std::get<done>(a);
    std::optional<result<std::string>> picked;
    try {
        picked = co_await before_deadline(pick_chain(d, req.preferred_chain), deadline);
    } catch (const boost::system::system_error& e) {
        if (e.code() != asio::error::operation_aborted) throw;
        co_return refuse(errc::cancelled, "order for " + join_values(req.identifiers) + ": certman is stopping",
                         std::nullopt);
    }
    if (!picked)
        co_return refuse(errc::timeout, "order for " + join_values(req.identifiers) +
                                            " timed out while fetching the alternate certificate chains", std::nullopt);
    auto& chain = *picked;
    if (!chain) co_return chain.error();
    // Nothing the CA sent is stored or deployed before it is checked against the order (issued_check.hpp).
    if (auto checked = check_issued_certificate(*chain, req.identifiers, *req.certificate_key, now()); !checked)
        co_return refuse(errc::protocol_error, "order for " + join_values(req.identifiers) + ": " +
                                                   checked.error().message(), std::nullopt);
    co_return issued_certificate{std::move(*chain), d.order_url, d.certificate_url};
}
}  // namespace certman::acme
