#include "certman/acme/order.hpp"
#include "json_read.hpp"

namespace certman::acme {
namespace json = boost::json;
namespace {

result<std::vector<identifier>> read_identifiers(const detail::reader& r) {
    auto arr = r.array("identifiers", true);
    if (!arr) return arr.error();
    std::vector<identifier> out;
    for (const auto& e : **arr) {
        if (!e.is_object()) return r.error("identifiers", "has a non-object element");
        auto id = detail::read_identifier(e.as_object(), "order identifier");
        if (!id) return id.error();
        out.push_back(std::move(*id));
    }
    return out;
}

// The optional string members, read in one table so each is checked the same way.
result<void> read_optional_strings(const detail::reader& r, order& o) {
    const std::pair<const char*, std::optional<std::string>*> fields[] = {
        {"certificate", &o.certificate}, {"profile", &o.profile}, {"replaces", &o.replaces}};
    for (const auto& [key, out] : fields) {
        auto v = r.opt_str(key);
        if (!v) return v.error();
        *out = std::move(*v);
    }
    return {};
}
}  // namespace

result<order> parse_order(std::string_view text) {
    auto obj = detail::parse_object(text, "order");
    if (!obj) return obj.error();
    const detail::reader r(*obj, "order");
    order o;
    auto st = r.stat("status");
    if (!st) return st.error();
    o.status = *st;
    auto expires = r.opt_time("expires");
    if (!expires) return expires.error();
    o.expires = *expires;
    auto ids = read_identifiers(r);
    if (!ids) return ids.error();
    o.identifiers = std::move(*ids);
    auto authz = r.str_array("authorizations", true);
    if (!authz) return authz.error();
    o.authorizations = std::move(*authz);
    auto fin = r.str("finalize");
    if (!fin) return fin.error();
    o.finalize = std::move(*fin);
    if (auto strs = read_optional_strings(r, o); !strs) return strs.error();
    auto err = r.opt_object("error");
    if (!err) return err.error();
    if (*err) o.error = detail::read_problem(**err);
    return o;
}

}  // namespace certman::acme
