#include "certman/acme/authorization.hpp"
#include "json_read.hpp"

namespace certman::acme {
namespace json = boost::json;
namespace {

result<challenge> read_challenge(const json::object& obj) {
    const detail::reader r(obj, "challenge");
    challenge c;
    auto type = r.str("type");
    if (!type) return type.error();
    c.type = std::move(*type);
    auto url = r.str("url");
    if (!url) return url.error();
    c.url = std::move(*url);
    auto st = r.stat("status");
    if (!st) return st.error();
    c.status = *st;
    auto token = r.opt_str("token");
    if (!token) return token.error();
    c.token = token->value_or("");
    auto validated = r.opt_time("validated");
    if (!validated) return validated.error();
    c.validated = *validated;
    auto err = r.opt_object("error");
    if (!err) return err.error();
    if (*err) c.error = detail::read_problem(**err);
    return c;
}
}  // namespace

result<challenge> parse_challenge(std::string_view text) {
    auto obj = detail::parse_object(text, "challenge");
    if (!obj) return obj.error();
    return read_challenge(*obj);
}

result<authorization> parse_authorization(std::string_view text) {
    auto obj = detail::parse_object(text, "authorization");
    if (!obj) return obj.error();
    const detail::reader r(*obj, "authorization");
    authorization a;
    auto idobj = r.opt_object("identifier");
    if (!idobj) return idobj.error();
    if (!*idobj) return r.error("identifier", "is missing");
    auto id = detail::read_identifier(**idobj, "authorization identifier");
    if (!id) return id.error();
    a.identifier = std::move(*id);
    auto st = r.stat("status");
    if (!st) return st.error();
    a.status = *st;
    auto expires = r.opt_time("expires");
    if (!expires) return expires.error();
    a.expires = *expires;
    auto wildcard = r.opt_bool("wildcard");
    if (!wildcard) return wildcard.error();
    a.wildcard = wildcard->value_or(false);
    auto arr = r.array("challenges", true);
    if (!arr) return arr.error();
    for (const auto& e : **arr) {
        if (!e.is_object()) return r.error("challenges", "has a non-object element");
        auto c = read_challenge(e.as_object());
        if (!c) return c.error();
        a.challenges.push_back(std::move(*c));
    }
    return a;
}

const challenge* find_challenge(const authorization& a, std::string_view type) noexcept {
    for (const auto& c : a.challenges)
        if (c.type == type) return &c;
    return nullptr;
}

}  // namespace certman::acme
