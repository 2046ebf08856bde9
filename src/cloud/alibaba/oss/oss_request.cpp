// Endpoint handling, retry classification and error text for the OSS client (contract in the header).
#include "certman/cloud/alibaba/oss_request.hpp"

#include <algorithm>
#include <cmath>

#include "certman/cloud/alibaba/api_error.hpp"  // sanitize_message
#include "certman/cloud/alibaba/percent_encode.hpp"
#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {
namespace {

bool is_ip_or_localhost(std::string_view host) {
    if (host == "localhost" || (!host.empty() && host.front() == '[')) return true;
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.';
    });
}

std::string_view host_of(std::string_view authority) {
    if (!authority.empty() && authority.front() == '[') return authority.substr(0, authority.find(']') + 1);
    return authority.substr(0, authority.find(':'));
}

}  // namespace

result<oss_endpoint> parse_oss_endpoint(std::string_view text) {
    oss_endpoint e;
    e.scheme = "https";
    if (auto p = text.find("://"); p != std::string_view::npos) {
        e.scheme = std::string(text.substr(0, p));
        text.remove_prefix(p + 3);
    }
    if (!text.empty() && text.back() == '/') text.remove_suffix(1);
    if (e.scheme != "https" && e.scheme != "http") return make_error_code(errc::config_error);
    if (text.empty() || text.find_first_of("/?#@ ") != std::string_view::npos) return make_error_code(errc::config_error);
    e.authority = std::string(text);
    e.path_style = is_ip_or_localhost(host_of(e.authority));
    return e;
}

std::string region_from_endpoint(const oss_endpoint& e) {
    std::string_view host = host_of(e.authority);
    constexpr std::string_view suffix = ".aliyuncs.com";
    if (!host.starts_with("oss-") || !host.ends_with(suffix)) return {};
    host = host.substr(4, host.size() - 4 - suffix.size());
    if (host.ends_with("-internal")) host.remove_suffix(9);
    if (host.find('.') != std::string_view::npos) return {};
    return std::string(host);
}

std::string oss_url(const oss_endpoint& e, std::string_view bucket, std::string_view key, const param_list& query) {
    std::string url = e.scheme + "://";
    if (e.path_style) url += e.authority + "/" + percent_encode(bucket) + "/";
    else url += std::string(bucket) + "." + e.authority + "/";
    url += percent_encode_path(key);
    char sep = '?';
    for (const auto& [name, value] : query) {
        url += sep;
        url += percent_encode(name);
        if (!value.empty()) url += "=" + percent_encode(value);
        sep = '&';
    }
    return url;
}

oss_failure classify_oss_failure(unsigned status, std::string_view code) {
    if (status == 0 || status >= 500 || status == 429) return oss_failure::transient;
    // OSS answers request throttling and some transient back-end states with these codes on 4xx/503.
    if (code == "RequestTimeout" || code == "ServiceUnavailable" || code == "InternalError") return oss_failure::transient;
    return oss_failure::final;
}

bool oss_failure_ambiguous(unsigned status) { return status == 0 || status >= 500; }

std::chrono::milliseconds oss_backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, int n,
                                      double jitter) {
    double d = static_cast<double>(base.count()) * std::pow(2.0, std::max(0, n - 1));
    d = std::min(d, static_cast<double>(cap.count()));
    jitter = std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(d * (0.5 + jitter / 2.0)));
}

std::string format_oss_error(std::string_view operation, std::string_view object, unsigned status,
                             const oss_error_body& e) {
    std::string out(operation);
    if (!object.empty()) out += " " + std::string(object);
    out += ": " + (e.code.empty() ? std::string("error") : e.code) + " (HTTP " + std::to_string(status);
    if (!e.request_id.empty()) out += ", RequestId " + e.request_id;
    out += ")";
    if (auto m = sanitize_message(e.message); !m.empty()) out += ": " + m;
    return out;
}

}  // namespace certman::cloud::alibaba
