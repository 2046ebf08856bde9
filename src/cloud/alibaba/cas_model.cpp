// CAS answers, identifiers and hints (contract in include/certman/cloud/alibaba/cas_model.hpp).
#include "certman/cloud/alibaba/cas_model.hpp"

#include <array>
#include <charconv>

#include "certman/cloud/alibaba/slb_model.hpp"
#include "json_shape.hpp"

namespace certman::cloud::alibaba {
using namespace detail::json_shape;

namespace {

cas_certificate read_certificate(const json::object& o, std::string_view id_field) {
    cas_certificate c{number(o, id_field), text(o, "Name"), text(o, "Sha2"), text(o, "SerialNo"),
                      text(o, "CertIdentifier")};
    if (c.id <= 0) throw bad_shape{};
    return c;
}

// Regions of the CAS SDK's endpoint map outside China that use the central endpoint (§1.7).
constexpr std::array<std::string_view, 5> central_regions = {"ap-southeast-3", "ap-southeast-5", "eu-west-1",
                                                             "us-east-1", "us-west-1"};

}  // namespace

result<std::int64_t> parse_cas_upload(std::string_view body) {
    return guarded_answer("UploadUserCertificate", body, max_answer_bytes, [](const json::object& o) {
        const auto id = number(o, "CertId");
        if (id <= 0) throw bad_shape{};
        return id;
    });
}

result<cas_certificate> parse_cas_detail(std::string_view body) {
    return guarded_answer("GetUserCertificateDetail", body, max_answer_bytes,
                          [](const json::object& o) { return read_certificate(o, "Id"); });
}

result<cas_certificate_page> parse_cas_certificate_list(std::string_view body) {
    return guarded_answer("ListUserCertificateOrder", body, max_answer_bytes, [](const json::object& o) {
        cas_certificate_page page;
        page.total_count = number(o, "TotalCount");
        for (const auto* c : objects(o, "CertificateOrderList"))
            page.certificates.push_back(read_certificate(*c, "CertificateId"));
        return page;
    });
}

std::string cas_certificate_identifier(std::int64_t id, std::string_view region) {
    return std::to_string(id) + "-" + std::string(region);
}

std::int64_t cas_id_of(std::string_view listener_certificate_id, std::string_view region) {
    auto s = listener_certificate_id;
    const std::string suffix = "-" + std::string(region);
    if (!region.empty() && s.ends_with(suffix)) s.remove_suffix(suffix.size());
    std::int64_t id = 0;
    auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (s.empty() || e != std::errc{} || p != s.data() + s.size() || id <= 0) return 0;
    return id;
}

cas_endpoint resolve_cas_endpoint(std::string_view region, std::string_view configured) {
    if (!configured.empty()) {
        if (auto bad = check_endpoint_url(configured, "https://cas.aliyuncs.com"); !bad.empty()) return {{}, bad};
        std::string url(configured);
        while (url.ends_with("/")) url.pop_back();
        return {url, {}};
    }
    bool central = region.starts_with("cn-");
    for (auto r : central_regions) central = central || region == r;
    if (central) return {"https://cas.aliyuncs.com", {}};
    return {"https://cas." + std::string(region) + ".aliyuncs.com", {}};
}

std::string cas_hint(std::string_view code, std::string_view action) {
    if (code.starts_with("Forbidden") || code == "NoPermission" || code == "NotAuthorized")
        return "grant the RAM user or role yundun-cert:" + std::string(action) +
               " on * (deploy/examples/alb-nlb-ram-policy.json)";
    if (code == "SignatureDoesNotMatch" || code == "IncorrectSignature" || code == "InvalidAccessKeySecret")
        return "check access_key_secret_file: it must hold the AccessKey secret of access_key_id";
    if (code.starts_with("InvalidAccessKeyId")) return "check access_key_id: the AccessKey does not exist or is disabled";
    if (code.starts_with("InvalidTimeStamp")) return "the system clock is off: synchronise it (NTP)";
    if (action == "UploadUserCertificate" && !code.empty() && !code.starts_with("Throttling"))
        return "CAS refused the certificate or its name; check cert_name_prefix and that the stored bundle is valid";
    return {};
}

}  // namespace certman::cloud::alibaba
