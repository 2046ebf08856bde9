#include "certman/acme/payloads.hpp"
#include <boost/json.hpp>
#include "certman/core/base64url.hpp"

namespace certman::acme {
namespace json = boost::json;
namespace {

bool valid_email(std::string_view e) {
    if (e.empty() || e.find('@') == std::string_view::npos) return false;
    for (char c : e)
        if (c == ',' || c == '?' || c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
    return true;
}
}  // namespace

result<std::string> new_account_payload(const new_account_request& req) {
    json::object obj;
    if (req.only_return_existing) {
        obj["onlyReturnExisting"] = true;
        return json::serialize(obj);
    }
    if (!req.emails.empty()) {
        json::array contact;
        for (std::string_view e : req.emails) {
            if (e.substr(0, 7) == "mailto:") e.remove_prefix(7);
            if (!valid_email(e)) return errc::invalid_argument;
            contact.emplace_back("mailto:" + std::string(e));
        }
        obj["contact"] = std::move(contact);
    }
    if (req.terms_of_service_agreed) obj["termsOfServiceAgreed"] = true;
    if (req.external_account_binding) {
        error_code ec;
        json::value eab = json::parse(*req.external_account_binding, ec);
        if (ec || !eab.is_object()) return errc::invalid_argument;
        obj["externalAccountBinding"] = std::move(eab);
    }
    return json::serialize(obj);
}

std::string new_order_payload(const std::vector<identifier>& ids, std::optional<std::string_view> profile,
                              std::optional<std::string_view> replaces) {
    json::array arr;
    for (const auto& id : ids) arr.emplace_back(json::object{{"type", id.type}, {"value", id.value}});
    json::object obj;
    obj["identifiers"] = std::move(arr);
    if (profile) obj["profile"] = *profile;
    if (replaces) obj["replaces"] = *replaces;
    return json::serialize(obj);
}

std::string finalize_payload(std::string_view csr_der) {
    return json::serialize(json::object{{"csr", base64url_encode(csr_der)}});
}

std::string challenge_response_payload() { return "{}"; }

result<std::string> revoke_payload(std::string_view certificate_der, std::optional<int> reason) {
    json::object obj;
    obj["certificate"] = base64url_encode(certificate_der);
    if (reason) {
        if (*reason < 0 || *reason > 10 || *reason == 7) return errc::invalid_argument;
        obj["reason"] = *reason;
    }
    return json::serialize(obj);
}

}  // namespace certman::acme
