// Alidns answers, zones and hints (contract in include/certman/cloud/alibaba/alidns_model.hpp).
#include "certman/cloud/alibaba/alidns_model.hpp"

#include "certman/cloud/alibaba/slb_model.hpp"
#include "json_shape.hpp"

namespace certman::cloud::alibaba {
using namespace detail::json_shape;

namespace {

std::string folded(std::string_view s) {
    while (s.ends_with('.')) s.remove_suffix(1);
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// fqdn is zone or ends with "." + zone (both folded).
bool within(const std::string& fqdn, const std::string& zone) {
    if (zone.empty()) return false;
    if (fqdn == zone) return true;
    return fqdn.size() > zone.size() && fqdn.ends_with(zone) && fqdn[fqdn.size() - zone.size() - 1] == '.';
}

}  // namespace

result<alidns_record_page> parse_alidns_records(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        alidns_record_page page;
        page.total_count = number(o, "TotalCount");
        for (const auto* r : wrapped(o, "DomainRecords", "Record")) {
            alidns_record rec{text(*r, "RecordId"), text(*r, "RR"), text(*r, "Type"), text(*r, "Value")};
            if (rec.record_id.empty()) throw bad_shape{};
            page.records.push_back(std::move(rec));
        }
        return page;
    });
}

result<alidns_domain_page> parse_alidns_domains(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        alidns_domain_page page;
        page.total_count = number(o, "TotalCount");
        for (const auto* d : wrapped(o, "Domains", "Domain")) {
            auto name = text(*d, "DomainName");
            auto puny = text(*d, "PunyCode");
            if (name.empty()) throw bad_shape{};
            if (!puny.empty() && puny != name) page.names.push_back(std::move(puny));
            page.domains.push_back(name);
            page.names.push_back(std::move(name));
        }
        return page;
    });
}

result<std::string> parse_alidns_record_id(std::string_view body) {
    return guarded(body, [](const json::object& o) {
        auto id = text(o, "RecordId");
        if (id.empty()) throw bad_shape{};
        return id;
    });
}

std::string zone_of(std::string_view fqdn, const std::vector<std::string>& zones) {
    const auto name = folded(fqdn);
    std::string best;
    for (const auto& z : zones) {
        const auto zone = folded(z);
        if (within(name, zone) && zone.size() > best.size()) best = zone;
    }
    return best;
}

result<std::string> relative_rr(std::string_view fqdn, std::string_view zone) {
    const auto name = folded(fqdn);
    const auto z = folded(zone);
    if (!within(name, z)) return failure{errc::invalid_argument, "\"" + name + "\" is not in zone \"" + z + "\""};
    if (name == z) return std::string("@");
    return name.substr(0, name.size() - z.size() - 1);
}

std::string alidns_hint(std::string_view code, std::string_view action, std::string_view zone) {
    const std::string z = zone.empty() ? "<zone>" : std::string(zone);
    if (code == "Forbidden.RAM" || code == "Forbidden" || code == "NoPermission" || code.starts_with("Forbidden"))
        return "grant the RAM user or role alidns:" + std::string(action) +
               (action == "DescribeDomains" ? std::string(" on *") : " on acs:alidns:*:*:domain/" + z) +
               " (deploy/examples/alidns-ram-policy.json)";
    if (code == "IncorrectDomainUser" || code == "InvalidDomainName.NoExist" || code == "DomainNotFound")
        return "check the [challenge] zone: \"" + z + "\" must be a domain hosted in this account's Alibaba Cloud DNS";
    if (code == "SignatureDoesNotMatch" || code == "IncorrectSignature" || code == "InvalidAccessKeySecret")
        return "check access_key_secret_file: it must hold the AccessKey secret of access_key_id";
    if (code.starts_with("InvalidAccessKeyId")) return "check access_key_id: the AccessKey does not exist or is disabled";
    if (code == "QuotaExceeded.Record") return "the zone \"" + z + "\" has no record quota left; delete unused records";
    if (code == "DomainRecordLocked") return "the record is locked in the Alidns console; unlock it";
    if (code == "DomainForbidden") return "the zone \"" + z + "\" is locked or suspended in Alidns";
    if (code == "InvalidTimeStamp.Expired" || code == "InvalidTimeStamp.Format")
        return "the system clock is off: synchronise it (NTP)";
    return {};
}

alidns_endpoint resolve_alidns_endpoint(std::string_view configured) {
    if (configured.empty()) return {std::string(alidns_default_endpoint), {}};
    if (auto bad = check_endpoint_url(configured, alidns_default_endpoint); !bad.empty()) return {{}, bad};
    std::string url(configured);
    while (url.ends_with("/")) url.pop_back();
    return {url, {}};
}

}  // namespace certman::cloud::alibaba
