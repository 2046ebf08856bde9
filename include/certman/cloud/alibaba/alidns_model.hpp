// Alibaba Cloud DNS (Alidns, API 2015-01-09) answers and names, for DNS-01 (reference
// /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §6, §9): parsing the JSON of DescribeDomains,
// DescribeSubDomainRecords and AddDomainRecord, choosing the zone of a name, the record's RR relative to the zone,
// and the operator's hint for each documented error code. Pure.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

inline constexpr std::string_view alidns_api_version = "2015-01-09";
inline constexpr std::string_view alidns_default_endpoint = "https://alidns.aliyuncs.com";  // §1.7, central

struct alidns_record {
    std::string record_id;  // string in the API ("RecordId")
    std::string rr;         // relative to the zone: "_acme-challenge.www", "@"
    std::string type;       // "TXT"
    std::string value;
};

struct alidns_record_page {
    std::vector<alidns_record> records;
    std::int64_t total_count = 0;
};

struct alidns_domain_page {
    std::vector<std::string> names;    // DomainName, and PunyCode when it differs (IDN zones)
    std::vector<std::string> domains;  // DomainName of each entry, one per entry (page_guard keys)
    std::int64_t total_count = 0;
};

// {"DomainRecords":{"Record":[…]},"TotalCount":n} (DescribeSubDomainRecords, DescribeDomainRecords).
// Errors: errc::parse_error when the body is not that shape or a record has no RecordId.
result<alidns_record_page> parse_alidns_records(std::string_view body);
// {"Domains":{"Domain":[{"DomainName":…,"PunyCode":…}]},"TotalCount":n} (DescribeDomains). errc::parse_error.
result<alidns_domain_page> parse_alidns_domains(std::string_view body);
// {"RecordId":"…"} (AddDomainRecord). errc::parse_error when RecordId is missing or empty.
result<std::string> parse_alidns_record_id(std::string_view body);

// The longest of `zones` that is `fqdn` or a parent of it (labels compared without case, trailing dots ignored);
// "" when none is.
std::string zone_of(std::string_view fqdn, const std::vector<std::string>& zones);

// The RR of `fqdn` in `zone`: "_acme-challenge.www" for ("_acme-challenge.www.example.com", "example.com"), "@"
// for the apex. Errors: errc::invalid_argument when fqdn is not in zone.
result<std::string> relative_rr(std::string_view fqdn, std::string_view zone);

// What the operator should do about an Alidns error `code` returned by `action` for `zone` ("" when the code
// needs no advice beyond its message): Forbidden.RAM/NoPermission → the RAM action to grant and on which
// resource; IncorrectDomainUser/InvalidDomainName.NoExist → check the [challenge] zone; signature or key errors →
// check the access key id and secret file; QuotaExceeded.Record, DomainRecordLocked, DomainForbidden.
std::string alidns_hint(std::string_view code, std::string_view action, std::string_view zone);

// The configured endpoint or alidns_default_endpoint; `error` set (one line) when it is neither https:// nor
// loopback http:// (cloud/alibaba/slb_model.hpp check_endpoint_url). A trailing '/' is dropped.
struct alidns_endpoint {
    std::string url;
    std::string error;
};
alidns_endpoint resolve_alidns_endpoint(std::string_view configured);

}  // namespace certman::cloud::alibaba
