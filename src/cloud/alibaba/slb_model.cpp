// SLB answer parsing and endpoint choice (contract in the header).
#include "certman/cloud/alibaba/slb_model.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "certman/core/errc.hpp"
#include "json_shape.hpp"

namespace certman::cloud::alibaba {
namespace json = boost::json;
using namespace detail::json_shape;

namespace {

server_certificate certificate_from(const json::object& o) {
    server_certificate c{text(o, "ServerCertificateId"), text(o, "ServerCertificateName"), text(o, "Fingerprint"),
                         text(o, "CommonName"), number(o, "ExpireTimeStamp"), number(o, "CreateTimeStamp")};
    if (c.id.empty()) throw bad_shape{};
    return c;
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

std::string check_endpoint_url(std::string_view configured, std::string_view example) {
    const std::string shown = "endpoint \"" + std::string(configured) + "\"";
    auto u = boost::urls::parse_uri(configured);
    if (!u || u->encoded_host().empty() || u->has_query() || u->has_userinfo())
        return shown + " is not an absolute URL such as " + std::string(example);
    if (u->scheme() == "http") {
        const auto host = std::string(u->encoded_host());
        const bool loopback = host == "localhost" || host.starts_with("127.") || host == "[::1]";
        if (!loopback) return shown + ": plain http:// is accepted only for a loopback address (tests); use https://";
    } else if (u->scheme() != "https") {
        return shown + ": expected an https:// URL";
    }
    return {};
}

slb_endpoint resolve_slb_endpoint(std::string_view region, std::string_view configured) {
    if (configured.empty()) {
        const bool ok = !region.empty() && region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
                                               std::string_view::npos;
        if (!ok) return {{}, "region \"" + std::string(region) + "\" is not a region id such as \"cn-hangzhou\""};
        return {"https://slb." + std::string(region) + ".aliyuncs.com", {}};
    }
    if (auto bad = check_endpoint_url(configured, "https://slb.cn-hangzhou.aliyuncs.com"); !bad.empty())
        return {{}, bad};
    std::string url(configured);
    while (url.ends_with("/")) url.pop_back();
    return {url, {}};
}

}  // namespace certman::cloud::alibaba
