#include "certman/cloud/alibaba/oss_v4_signature.hpp"

#include <algorithm>
#include <cstdio>

#include "certman/cloud/alibaba/canonical_query.hpp"
#include "certman/cloud/alibaba/percent_encode.hpp"
#include "mac.hpp"
#include "certman/core/ascii.hpp"

namespace certman::cloud::alibaba {
namespace {
constexpr std::string_view algorithm = "OSS4-HMAC-SHA256";
constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

bool signed_by_default(std::string_view lname) {
    return lname == "content-type" || lname == "content-md5" || lname.starts_with("x-oss-");
}

const std::string* find_header(const param_list& headers, std::string_view lname) {
    for (const auto& h : headers) {
        if (ascii_lower(h.first) == lname) return &h.second;
    }
    return nullptr;
}

void set_header(param_list& headers, std::string_view lname, std::string_view value) {
    std::erase_if(headers, [&](const param& h) { return ascii_lower(h.first) == lname; });
    headers.emplace_back(lname, value);
}

std::vector<std::string> additional_list(const oss_v4_request& req) {
    std::vector<std::string> out;
    for (const auto& name : req.additional_headers) {
        std::string l = ascii_lower(trim_ows(name));
        if (!l.empty() && !signed_by_default(l) && find_header(req.headers, l) != nullptr) out.push_back(l);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string canonical_uri(const oss_v4_request& req) {
    if (req.bucket.empty()) return "/";
    return percent_encode_path("/" + req.bucket + "/" + req.key);
}

std::string canonical_headers(const oss_v4_request& req) {
    const auto extra = additional_list(req);
    std::vector<param> hs;
    for (const auto& [name, value] : req.headers) {
        std::string l = ascii_lower(trim_ows(name));
        if (signed_by_default(l) || std::binary_search(extra.begin(), extra.end(), l)) {
            hs.emplace_back(std::move(l), std::string(trim_ows(value)));
        }
    }
    std::stable_sort(hs.begin(), hs.end(), [](const param& a, const param& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [k, v] : hs) out += k + ":" + v + "\n";
    return out;
}

std::string scope(std::string_view date, std::string_view region) {
    return std::string(date) + "/" + std::string(region) + "/oss/aliyun_v4_request";
}

}  // namespace

std::string oss_v4_datetime(std::chrono::sys_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string oss_v4_additional_headers(const oss_v4_request& req) {
    std::string out;
    for (const auto& h : additional_list(req)) {
        if (!out.empty()) out.push_back(';');
        out += h;
    }
    return out;
}

std::string oss_v4_canonical_request(const oss_v4_request& req) {
    const std::string* payload = find_header(req.headers, "x-oss-content-sha256");
    std::string out = req.method + "\n";
    out += canonical_uri(req) + "\n";
    out += canonical_query(req.query, empty_value::bare_name) + "\n";  // §4.3: all params, bare name if empty
    out += canonical_headers(req) + "\n";
    out += oss_v4_additional_headers(req) + "\n";
    out += payload != nullptr ? std::string(trim_ows(*payload)) : std::string(unsigned_payload);
    return out;
}

std::string oss_v4_string_to_sign(std::string_view canonical_request, std::string_view datetime,
                                  std::string_view region) {
    std::string out(algorithm);
    out += "\n" + std::string(datetime) + "\n";
    out += scope(datetime.substr(0, 8), region) + "\n";
    out += detail::to_hex(detail::sha256(canonical_request));
    return out;
}

std::string oss_v4_signing_key(std::string_view secret, std::string_view date, std::string_view region) {
    std::string k = detail::hmac_sha256("aliyun_v4" + std::string(secret), date);
    k = detail::hmac_sha256(k, region);
    k = detail::hmac_sha256(k, "oss");
    return detail::hmac_sha256(k, "aliyun_v4_request");
}

std::string oss_v4_authorization(const oss_v4_request& req, const credentials& key, std::string_view region,
                                 std::chrono::sys_seconds t) {
    const std::string datetime = oss_v4_datetime(t);
    const std::string date = datetime.substr(0, 8);
    const std::string sts = oss_v4_string_to_sign(oss_v4_canonical_request(req), datetime, region);
    const std::string sig = detail::to_hex(detail::hmac_sha256(oss_v4_signing_key(key.access_key_secret, date,
                                                                                  region), sts));
    std::string out(algorithm);
    out += " Credential=" + key.access_key_id + "/" + scope(date, region);
    if (const auto extra = oss_v4_additional_headers(req); !extra.empty()) out += ",AdditionalHeaders=" + extra;
    out += ",Signature=" + sig;
    return out;
}

void oss_v4_sign(oss_v4_request& req, const credentials& key, std::string_view region, std::chrono::sys_seconds t) {
    set_header(req.headers, "x-oss-date", oss_v4_datetime(t));
    if (find_header(req.headers, "x-oss-content-sha256") == nullptr) {
        req.headers.emplace_back("x-oss-content-sha256", unsigned_payload);
    }
    if (key.is_sts()) set_header(req.headers, "x-oss-security-token", key.security_token);
    std::erase_if(req.headers, [](const param& h) { return ascii_lower(h.first) == "authorization"; });
    req.headers.emplace_back("Authorization", oss_v4_authorization(req, key, region, t));
}

}  // namespace certman::cloud::alibaba
