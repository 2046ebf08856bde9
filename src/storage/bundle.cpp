#include "certman/storage/bundle.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "certman/core/rfc3339.hpp"

namespace certman::storage {
namespace json = boost::json;
using namespace std::chrono;

namespace {

constexpr std::int64_t bundle_version = 1;

void append_pem(std::string& out, std::string_view pem) {
    if (pem.empty()) return;
    out += pem;
    if (out.back() != '\n') out += '\n';
}

// Reads an optional string member; a present member of another type is a parse error.
bool read_string(const json::object& o, std::string_view name, std::string& out) {
    auto* v = o.if_contains(name);
    if (v == nullptr) return true;
    auto* s = v->if_string();
    if (s == nullptr) return false;
    out.assign(s->data(), s->size());
    return true;
}

bool read_time(const json::object& o, std::string_view name, sys_seconds& out) {
    std::string text;
    if (!read_string(o, name, text)) return false;
    if (text.empty()) return true;
    auto t = parse_rfc3339(text);
    if (!t) return false;
    out = *t;
    return true;
}

bool read_names(const json::object& o, std::vector<std::string>& out) {
    auto* v = o.if_contains("names");
    if (v == nullptr) return true;
    auto* a = v->if_array();
    if (a == nullptr) return false;
    for (const auto& e : *a) {
        auto* s = e.if_string();
        if (s == nullptr) return false;
        out.emplace_back(s->data(), s->size());
    }
    return true;
}

}  // namespace

std::string certificate_bundle::fullchain_pem() const {
    std::string out;
    append_pem(out, certificate_pem);
    append_pem(out, chain_pem);
    return out;
}

std::string to_json(const certificate_bundle& b) {
    json::array names;
    for (const auto& n : b.names) names.emplace_back(n);
    json::object o;
    o["version"] = bundle_version;
    o["names"] = std::move(names);
    o["key_type"] = b.key_type;
    o["issuer_cn"] = b.issuer_cn;
    o["serial"] = b.serial;
    o["not_before"] = format_rfc3339(b.not_before);
    o["not_after"] = format_rfc3339(b.not_after);
    o["obtained_at"] = format_rfc3339(b.obtained_at);
    o["order_url"] = b.order_url;
    o["certificate_url"] = b.certificate_url;
    o["profile"] = b.profile;
    o["directory_url"] = b.directory_url;
    o["private_key_pem"] = b.private_key_pem;
    o["certificate_pem"] = b.certificate_pem;
    o["chain_pem"] = b.chain_pem;
    return json::serialize(o);
}

result<certificate_bundle> bundle_from_json(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return errc::parse_error;
    auto* o = v.if_object();
    if (o == nullptr) return errc::parse_error;
    auto* version = o->if_contains("version");
    if (version == nullptr || !version->is_int64() || version->as_int64() != bundle_version)
        return errc::parse_error;
    for (auto required : {"private_key_pem", "certificate_pem", "chain_pem"}) {
        if (o->if_contains(required) == nullptr) return errc::parse_error;
    }
    certificate_bundle b;
    bool ok = read_string(*o, "private_key_pem", b.private_key_pem) &&
              read_string(*o, "certificate_pem", b.certificate_pem) && read_string(*o, "chain_pem", b.chain_pem) &&
              read_names(*o, b.names) && read_string(*o, "key_type", b.key_type) &&
              read_string(*o, "issuer_cn", b.issuer_cn) && read_string(*o, "serial", b.serial) &&
              read_time(*o, "not_before", b.not_before) && read_time(*o, "not_after", b.not_after) &&
              read_time(*o, "obtained_at", b.obtained_at) && read_string(*o, "order_url", b.order_url) &&
              read_string(*o, "certificate_url", b.certificate_url) && read_string(*o, "profile", b.profile) &&
              read_string(*o, "directory_url", b.directory_url);
    if (!ok) return errc::parse_error;
    return b;
}

}  // namespace certman::storage
