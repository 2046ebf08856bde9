#include "certman/cloud/alibaba/api_error.hpp"

#include "certman/cloud/alibaba/bounded_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>

namespace certman::cloud::alibaba {
namespace {

std::string string_field(const boost::json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return {};
    return bounded_text(v->as_string(), max_code_bytes);
}

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t find_folded(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return std::string_view::npos;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && fold(hay[i + j]) == needle[j]) ++j;
        if (j == needle.size()) return i;
    }
    return std::string_view::npos;
}

// SLB "busy" codes (reference §1.7; Terraform provider alicloud/errors.go SlbIsBusy) plus the generic ones, and
// the ALB/NLB listener-busy codes Terraform retries on listener updates (alibaba-cas-alb-nlb-alidns.md §3.5;
// NLB documents the lower-case IncorrectStatus.listener, §4.1).
constexpr std::array<std::string_view, 12> transient_codes = {
    "ServiceUnavailable",       "InternalError",
    "ServiceIsConfiguring",     "OperationBusy",
    "SystemBusy",               "ServiceIsStopping",
    "VServerGroupProcessing",   "OperationFailed.ListenerStatusNotSupport",
    "IncorrectStatus.Listener", "IncorrectStatus.listener",
    "ResourceInConfiguring.Listener", "IdempotenceProcessing",
};

}  // namespace

result<api_error> parse_api_error(std::string_view body, unsigned http_status) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return make_error_code(errc::parse_error);
    const auto& o = v.as_object();
    const auto* code = o.if_contains("Code");
    if (code == nullptr || !code->is_string() || code->as_string().empty()) return make_error_code(errc::parse_error);
    api_error e;
    e.http_status = http_status;
    e.code = bounded_text(code->as_string(), max_code_bytes);
    const auto* message = o.if_contains("Message");
    if (message != nullptr && message->is_string()) e.message = sanitize_message(message->as_string());
    e.request_id = string_field(o, "RequestId");
    e.host_id = string_field(o, "HostId");
    return e;
}

retry_class classify(std::string_view code, unsigned http_status) {
    // Any code containing "Throttling" (Throttling, Throttling.User, Throttling.Api, Rejected.Throttling), as the
    // Terraform provider's NeedRetry does.
    if (code.find("Throttling") != std::string_view::npos) return retry_class::throttled;
    if (code == "SignatureNonceUsed") return retry_class::fresh_nonce;
    if (code == "MissingSecurityToken" || code.starts_with("InvalidSecurityToken")) {
        return retry_class::refresh_credentials_once;
    }
    for (const auto t : transient_codes) {
        if (code == t) return retry_class::transient_bounded;
    }
    if (!code.empty()) {
        // A documented code we do not retry (auth, parameters, quotas) is final even on a 5xx.
        if (http_status < 500) return http_status == 429 ? retry_class::throttled : retry_class::never;
    }
    if (http_status == 429) return retry_class::throttled;
    if (http_status >= 500 && http_status <= 599) return retry_class::transient_bounded;
    return retry_class::never;
}

std::string_view to_string(retry_class c) noexcept {
    switch (c) {
        case retry_class::never: return "never";
        case retry_class::throttled: return "throttled";
        case retry_class::transient_bounded: return "transient_bounded";
        case retry_class::refresh_credentials_once: return "refresh_credentials_once";
        case retry_class::fresh_nonce: return "fresh_nonce";
    }
    return "unknown";
}

std::string sanitize_message(std::string_view message) {
    std::size_t cut = find_folded(message, "server string to sign is");
    if (cut == std::string_view::npos) cut = find_folded(message, "string to sign");
    std::string_view kept = message.substr(0, cut);
    while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\t' || kept.back() == '\n' || kept.back() == ':')) {
        kept.remove_suffix(1);
    }
    return bounded_text(kept, max_message_bytes);
}

std::string format_api_error(std::string_view action, const api_error& e) {
    std::string out(action);
    out += " failed: " + (e.code.empty() ? std::string("(no code)") : e.code);
    out += " (HTTP " + std::to_string(e.http_status);
    out += ", RequestId " + (e.request_id.empty() ? std::string("-") : e.request_id) + ")";
    const std::string msg = sanitize_message(e.message);
    if (!msg.empty()) out += ": " + msg;
    return out;
}

}  // namespace certman::cloud::alibaba
