// SLB answer parsing and endpoint choice (contract in the header).
#include "certman/cloud/alibaba/slb_model.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {
namespace json = boost::json;

namespace {

struct bad_shape {};

result<json::object> parse_object(std::string_view body) {
    boost::system::error_code ec;
    auto doc = json::parse(body, ec);
    if (ec || !doc.is_object()) return errc::parse_error;
    return std::move(doc.get_object());
}

std::string text(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) throw bad_shape{};
    return std::string(v->get_string());
}

std::int64_t number(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_string()) {
        std::string_view s = v->get_string();
        std::int64_t n = 0;
        auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (e == std::errc{} && p == s.data() + s.size()) return n;
    }
    throw bad_shape{};
}

// "Outer":{"Inner":[…]} → the array's objects; absent → empty.
std::vector<const json::object*> wrapped(const json::object& o, std::string_view outer, std::string_view inner) {
    std::vector<const json::object*> out;
    const auto* w = o.if_contains(outer);
    if (!w || w->is_null()) return out;
    if (!w->is_object()) throw bad_shape{};
    const auto* a = w->get_object().if_contains(inner);
    if (!a || a->is_null()) return out;
    if (!a->is_array()) throw bad_shape{};
    for (const auto& item : a->get_array()) {
        if (!item.is_object()) throw bad_shape{};
        out.push_back(&item.get_object());
    }
    return out;
}

server_certificate certificate_from(const json::object& o) {
    server_certificate c{text(o, "ServerCertificateId"), text(o, "ServerCertificateName"), text(o, "Fingerprint"),
                         text(o, "CommonName"), number(o, "ExpireTimeStamp"), number(o, "CreateTimeStamp")};
    if (c.id.empty()) throw bad_shape{};
    return c;
}

template <class F>
auto guarded(std::string_view body, F&& read) -> result<decltype(read(json::object{}))> {
    auto o = parse_object(body);
    if (!o) return o.error();
    try {
        return read(*o);
    } catch (const bad_shape&) {
        return errc::parse_error;
    }
}

}  // namespace

result<std::vector<load_balancer>> parse_load_balancers(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        std::vector<load_balancer> out;
        for (const auto* lb : wrapped(o, "LoadBalancers", "LoadBalancer"))
            out.push_back({text(*lb, "LoadBalancerId"), text(*lb, "LoadBalancerName"), text(*lb, "LoadBalancerStatus")});
        return out;
    });
}

result<https_listener> parse_https_listener(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        if (!o.contains("ListenerPort")) throw bad_shape{};
        return https_listener{static_cast<int>(number(o, "ListenerPort")), text(o, "Status"),
                              text(o, "ServerCertificateId")};
    });
}

result<std::vector<server_certificate>> parse_server_certificates(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        std::vector<server_certificate> out;
        for (const auto* c : wrapped(o, "ServerCertificates", "ServerCertificate")) out.push_back(certificate_from(*c));
        return out;
    });
}

result<server_certificate> parse_uploaded_certificate(std::string_view body) {
    return guarded(body, [](const json::object& o) { return certificate_from(o); });
}

slb_endpoint resolve_slb_endpoint(std::string_view region, std::string_view configured) {
    if (configured.empty()) {
        const bool ok = !region.empty() && region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
                                               std::string_view::npos;
        if (!ok) return {{}, "region \"" + std::string(region) + "\" is not a region id such as \"cn-hangzhou\""};
        return {"https://slb." + std::string(region) + ".aliyuncs.com", {}};
    }
    const std::string shown = "endpoint \"" + std::string(configured) + "\"";
    auto u = boost::urls::parse_uri(configured);
    if (!u || u->encoded_host().empty() || u->has_query() || u->has_userinfo())
        return {{}, shown + " is not an absolute URL such as https://slb.cn-hangzhou.aliyuncs.com"};
    if (u->scheme() == "http") {
        const auto host = std::string(u->encoded_host());
        const bool loopback = host == "localhost" || host.starts_with("127.") || host == "[::1]";
        if (!loopback) return {{}, shown + ": plain http:// is accepted only for a loopback address (tests); use https://"};
    } else if (u->scheme() != "https") {
        return {{}, shown + ": expected an https:// URL"};
    }
    std::string url(configured);
    while (url.ends_with("/")) url.pop_back();
    return {url, {}};
}

}  // namespace certman::cloud::alibaba
