#include "certman/acme/directory.hpp"
#include "json_read.hpp"

namespace certman::acme {
namespace json = boost::json;
namespace {

result<directory_meta> read_meta(const json::object& obj) {
    const detail::reader r(obj, "directory meta");
    directory_meta m;
    auto tos = r.opt_str("termsOfService");
    if (!tos) return tos.error();
    m.terms_of_service = std::move(*tos);
    auto web = r.opt_str("website");
    if (!web) return web.error();
    m.website = std::move(*web);
    auto caa = r.str_array("caaIdentities", false);
    if (!caa) return caa.error();
    m.caa_identities = std::move(*caa);
    auto eab = r.opt_bool("externalAccountRequired");
    if (!eab) return eab.error();
    m.external_account_required = eab->value_or(false);
    auto profiles = r.opt_object("profiles");
    if (!profiles) return profiles.error();
    if (*profiles) {
        for (const auto& [name, desc] : **profiles) {
            if (!desc.is_string()) return r.error("profiles", "has a non-string description");
            m.profiles.emplace(std::string(name), std::string(desc.as_string()));
        }
    }
    return m;
}
}  // namespace

result<directory> parse_directory(std::string_view text) {
    auto obj = detail::parse_object(text, "directory");
    if (!obj) return obj.error();
    const detail::reader r(*obj, "directory");
    directory d;
    const std::pair<const char*, std::string*> required[] = {
        {"newNonce", &d.new_nonce},     {"newAccount", &d.new_account}, {"newOrder", &d.new_order},
        {"revokeCert", &d.revoke_cert}, {"keyChange", &d.key_change},
    };
    for (const auto& [key, out] : required) {
        auto v = r.str(key);
        if (!v) return v.error();
        *out = std::move(*v);
    }
    auto authz = r.opt_str("newAuthz");
    if (!authz) return authz.error();
    d.new_authz = std::move(*authz);
    auto ari = r.opt_str("renewalInfo");
    if (!ari) return ari.error();
    d.renewal_info = std::move(*ari);
    auto meta = r.opt_object("meta");
    if (!meta) return meta.error();
    if (*meta) {
        auto m = read_meta(**meta);
        if (!m) return m.error();
        d.meta = std::move(*m);
    }
    return d;
}

bool offers_profile(const directory& d, std::string_view profile) {
    return d.meta.profiles.find(std::string(profile)) != d.meta.profiles.end();
}

}  // namespace certman::acme
