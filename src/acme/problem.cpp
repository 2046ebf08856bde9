#include "certman/acme/problem.hpp"
#include "json_read.hpp"

namespace certman::acme {
namespace json = boost::json;
namespace {

// Keeps CA text on one line and bounded, since it ends up in logs and status pages.
std::string one_line(std::string_view text, std::size_t limit = 500) {
    std::string out;
    for (char c : text.substr(0, limit)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (text.size() > limit) out += "...";
    return out;
}

problem from_object(const json::object& obj, unsigned http_status, int depth) {
    problem p;
    p.status = http_status;
    p.type = "about:blank";  // RFC 7807 §4.2 default
    if (const auto* t = obj.if_contains("type"); t && t->is_string()) p.type = t->as_string();
    if (const auto* d = obj.if_contains("detail"); d && d->is_string()) p.detail = d->as_string();
    if (const auto* s = obj.if_contains("status"); s && s->is_int64() && p.status == 0)
        p.status = static_cast<unsigned>(s->as_int64());
    if (const auto* id = obj.if_contains("identifier"); id && id->is_object()) {
        auto ident = detail::read_identifier(id->as_object(), "problem identifier");
        if (ident) p.identifier = std::move(*ident);
    }
    const auto* subs = obj.if_contains("subproblems");
    if (subs && subs->is_array() && depth < 2) {  // RFC: subproblems do not nest; bound it anyway
        for (const auto& s : subs->as_array())
            if (s.is_object()) p.subproblems.push_back(from_object(s.as_object(), 0, depth + 1));
    }
    return p;
}

void append_subproblem(std::string& out, const problem& s) {
    out += "subproblem ";
    if (s.identifier) out += s.identifier->value + ": ";
    out += short_type(s);
    if (!s.detail.empty()) out += ": " + one_line(s.detail);
}
}  // namespace

problem parse_problem(std::string_view body, unsigned http_status, std::optional<std::chrono::seconds> retry_after) {
    error_code ec;
    const json::value v = json::parse(body, ec);
    problem p;
    if (!ec && v.is_object()) {
        p = from_object(v.as_object(), http_status, 0);
    } else {
        p.type = "about:blank";
        p.status = http_status;
        p.detail = body.empty() ? "empty response body" : "response is not a problem document: " + one_line(body, 200);
    }
    p.retry_after = retry_after;
    return p;
}

namespace detail {
problem read_problem(const json::object& obj) { return from_object(obj, 0, 0); }
}  // namespace detail

bool is(const problem& p, std::string_view name) noexcept {
    std::string_view type = p.type;
    if (type == name) return true;
    if (type.substr(0, acme_error_prefix.size()) != acme_error_prefix) return false;
    type.remove_prefix(acme_error_prefix.size());
    if (name.substr(0, acme_error_prefix.size()) == acme_error_prefix) name.remove_prefix(acme_error_prefix.size());
    return type == name;
}

std::string_view short_type(const problem& p) noexcept {
    std::string_view type = p.type;
    if (type.substr(0, acme_error_prefix.size()) == acme_error_prefix) type.remove_prefix(acme_error_prefix.size());
    return type;
}

std::string describe(const problem& p, std::string_view context) {
    std::string out(context);
    if (!out.empty()) out += ": ";
    out += p.type;
    if (!p.detail.empty()) out += ": " + one_line(p.detail);
    if (p.identifier) out += " [" + p.identifier->type + " " + p.identifier->value + "]";
    if (!p.subproblems.empty()) {
        out += " (";
        for (std::size_t i = 0; i < p.subproblems.size(); ++i) {
            if (i) out += "; ";
            append_subproblem(out, p.subproblems[i]);
        }
        out += ")";
    }
    if (p.status != 0 || p.retry_after) {
        out += " (";
        if (p.status != 0) out += "HTTP " + std::to_string(p.status);
        if (p.status != 0 && p.retry_after) out += ", ";
        if (p.retry_after) out += "retry after " + std::to_string(p.retry_after->count()) + " s";
        out += ")";
    }
    return out;
}

}  // namespace certman::acme
