#include "certman/app/cert_state.hpp"
#include <boost/json.hpp>
#include "certman/core/rfc3339.hpp"

namespace certman::app {
namespace json = boost::json;

std::string to_json(const cert_state& s) {
    json::object o;
    o["failures"] = policy::to_json(s.failures);
    o["authz"] = policy::to_json(s.authz);
    o["random01"] = s.random01;
    if (s.ari) {
        o["ari"] = json::object{{"start", format_rfc3339(s.ari->start)},
                                {"end", format_rfc3339(s.ari->end)},
                                {"next_poll", format_rfc3339(s.ari->next_poll)},
                                {"explanation_url", s.ari->explanation_url},
                                {"cert_id", s.ari_cert_id}};
    }
    if (!s.ari_cert_id.empty()) {
        o["ari_cert_id"] = s.ari_cert_id;
        o["ari_next_poll"] = format_rfc3339(s.ari_next_poll);
    }
    json::object d;
    for (const auto& [k, v] : s.deployed) d[k] = v;
    o["deployed"] = std::move(d);
    o["last_failure_reason"] = s.last_failure_reason;
    if (s.attempt_started) o["attempt_started"] = format_rfc3339(*s.attempt_started);
    return json::serialize(o);
}

result<cert_state> parse_cert_state(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return errc::parse_error;
    const auto& o = v.as_object();
    cert_state s;
    if (auto* f = o.if_contains("failures")) {
        auto r = policy::failure_state_from_json(*f);
        if (!r) return r.error();
        s.failures = std::move(*r);
    }
    if (auto* a = o.if_contains("authz")) {
        auto r = policy::authz_limiter_from_json(*a);
        if (!r) return r.error();
        s.authz = std::move(*r);
    }
    if (auto* r = o.if_contains("random01"); r && r->is_number()) s.random01 = r->to_number<double>();
    if (auto* a = o.if_contains("ari"); a && a->is_object()) {
        const auto& w = a->as_object();
        auto get = [&](const char* k) -> std::string {
            auto* x = w.if_contains(k);
            return x && x->is_string() ? std::string(x->as_string()) : std::string();
        };
        auto start = parse_rfc3339(get("start"));
        auto end = parse_rfc3339(get("end"));
        auto poll = parse_rfc3339(get("next_poll"));
        if (!start || !end || !poll) return errc::parse_error;
        s.ari = policy::ari_window{*start, *end, get("explanation_url"), *poll};
        s.ari_cert_id = get("cert_id");
        s.ari_next_poll = *poll;  // state written before ari_next_poll existed
    }
    if (auto* id = o.if_contains("ari_cert_id"); id && id->is_string()) {
        auto poll = o.if_contains("ari_next_poll");
        auto when = parse_rfc3339(poll && poll->is_string() ? std::string_view(poll->as_string()) : "");
        if (!when) return errc::parse_error;
        s.ari_cert_id = std::string(id->as_string());
        s.ari_next_poll = *when;
    }
    if (auto* d = o.if_contains("deployed"); d && d->is_object())
        for (const auto& [k, v2] : d->as_object())
            if (v2.is_string()) s.deployed[std::string(k)] = std::string(v2.as_string());
    if (auto* r = o.if_contains("last_failure_reason"); r && r->is_string()) s.last_failure_reason = std::string(r->as_string());
    if (auto* a = o.if_contains("attempt_started"); a && a->is_string())
        if (auto t = parse_rfc3339(a->as_string())) s.attempt_started = *t;
    return s;
}
}  // namespace certman::app
