#include "certman/cloud/alibaba/rpc_signature.hpp"

#include <algorithm>
#include <cstdio>

#include "certman/cloud/alibaba/percent_encode.hpp"
#include "certman/core/base64url.hpp"
#include "mac.hpp"

namespace certman::cloud::alibaba {
namespace {

constexpr std::string_view signature_name = "Signature";

void set_param(param_list& params, std::string_view name, std::string_view value) {
    for (auto& p : params) {
        if (p.first == name) {
            p.second = value;
            return;
        }
    }
    params.emplace_back(name, value);
}

}  // namespace

std::string canonicalized_query(const param_list& params) {
    param_list unsigned_params;
    unsigned_params.reserve(params.size());
    for (const auto& p : params) {
        if (p.first != signature_name) unsigned_params.push_back(p);
    }
    return canonical_query(unsigned_params, empty_value::name_equals);
}

std::string string_to_sign(std::string_view method, const param_list& params) {
    std::string out(method);
    out += "&%2F&";
    out += percent_encode(canonicalized_query(params));
    return out;
}

std::string rpc_signature(std::string_view method, const param_list& params, std::string_view secret) {
    std::string key(secret);
    key.push_back('&');  // §1.1 step 5: the key is the secret followed by '&'
    return base64_encode(detail::hmac_sha1(key, string_to_sign(method, params)));
}

std::string format_timestamp(std::chrono::sys_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

param_list signed_params(std::string_view method, const param_list& action_params, const credentials& key,
                         const rpc_call_context& ctx) {
    param_list params = action_params;
    set_param(params, "AccessKeyId", key.access_key_id);
    set_param(params, "Format", "JSON");
    set_param(params, "SignatureMethod", "HMAC-SHA1");
    set_param(params, "SignatureNonce", ctx.nonce);
    set_param(params, "SignatureVersion", "1.0");
    set_param(params, "Timestamp", format_timestamp(ctx.now));
    set_param(params, "Version", ctx.version);
    if (key.is_sts()) set_param(params, "SecurityToken", key.security_token);
    std::erase_if(params, [](const param& p) { return p.first == signature_name; });
    std::sort(params.begin(), params.end());
    params.emplace_back(signature_name, rpc_signature(method, params, key.access_key_secret));
    return params;
}

std::string form_encode(const param_list& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(name);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

std::string signed_form_body(const param_list& action_params, const credentials& key, const rpc_call_context& ctx) {
    return form_encode(signed_params("POST", action_params, key, ctx));
}

}  // namespace certman::cloud::alibaba
