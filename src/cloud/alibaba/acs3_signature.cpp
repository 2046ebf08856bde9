// ACS3-HMAC-SHA256 (contract in include/certman/cloud/alibaba/acs3_signature.hpp).
#include "certman/cloud/alibaba/acs3_signature.hpp"

#include <algorithm>
#include <map>

#include "mac.hpp"
#include "certman/core/ascii.hpp"

namespace certman::cloud::alibaba {
namespace {
bool is_signed(const std::string& name) {
    return name == "host" || name == "content-type" || name.starts_with("x-acs-");
}

// name → value(s), lowercase names, sorted (std::map orders by bytes).
std::map<std::string, std::string> signed_header_map(const header_list& headers) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : headers) {
        auto n = ascii_lower(name);
        if (!is_signed(n)) continue;
        auto [it, fresh] = out.try_emplace(n, trim_ows(value));
        if (!fresh) it->second += "," + std::string(trim_ows(value));
    }
    return out;
}

}  // namespace

std::string acs3_signed_headers(const header_list& headers) {
    std::string out;
    for (const auto& [name, value] : signed_header_map(headers)) {
        if (!out.empty()) out.push_back(';');
        out += name;
    }
    return out;
}

std::string acs3_canonical_request(std::string_view method, const param_list& query, const header_list& headers,
                                   std::string_view body) {
    std::string out(method);
    out += "\n/\n";
    out += canonical_query(query, empty_value::name_equals);
    out.push_back('\n');
    for (const auto& [name, value] : signed_header_map(headers)) out += name + ":" + value + "\n";
    out.push_back('\n');
    out += acs3_signed_headers(headers);
    out.push_back('\n');
    out += detail::to_hex(detail::sha256(body));
    return out;
}

std::string acs3_string_to_sign(std::string_view canonical_request) {
    return std::string(acs3_algorithm) + "\n" + detail::to_hex(detail::sha256(canonical_request));
}

std::string acs3_signature(std::string_view secret, std::string_view string_to_sign) {
    return detail::to_hex(detail::hmac_sha256(secret, string_to_sign));
}

header_list acs3_signed_request_headers(const acs3_call& call, const param_list& query, const credentials& key) {
    header_list h{{"host", std::string(call.host)},
                  {"x-acs-action", std::string(call.action)},
                  {"x-acs-version", std::string(call.version)},
                  {"x-acs-date", std::string(call.date)},
                  {"x-acs-signature-nonce", std::string(call.nonce)},
                  {"x-acs-content-sha256", detail::to_hex(detail::sha256(call.body))}};
    if (!call.body.empty()) h.emplace_back("content-type", "application/x-www-form-urlencoded");
    if (key.is_sts()) {
        h.emplace_back("x-acs-security-token", key.security_token);
        h.emplace_back("x-acs-accesskey-id", key.access_key_id);
    }
    const auto canonical = acs3_canonical_request(call.method, query, h, call.body);
    const auto signature = acs3_signature(key.access_key_secret, acs3_string_to_sign(canonical));
    h.emplace_back("Authorization", std::string(acs3_algorithm) + " Credential=" + key.access_key_id +
                                        ",SignedHeaders=" + acs3_signed_headers(h) + ",Signature=" + signature);
    return h;
}

}  // namespace certman::cloud::alibaba
