// Alidns actions for DNS-01 (contract in include/certman/cloud/alibaba/alidns_client.hpp).
#include "certman/cloud/alibaba/alidns_client.hpp"

#include "certman/cloud/alibaba/page_guard.hpp"
#include "certman/cloud/alibaba/rpc_client.hpp"
#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {

alidns_client::alidns_client(std::shared_ptr<rpc_client> rpc) : rpc_(std::move(rpc)) {}

// One action; a failure gets the hint for its Code (alidns_hint) when it has one.
boost::asio::awaitable<result<std::string>> alidns_client::call(std::string_view action, std::string_view zone,
                                                                param_list params) {
    auto body = co_await rpc_->call(action, std::move(params));
    if (body) co_return body;
    auto hint = alidns_hint(body.error().peer_code(), action, zone);
    if (hint.empty()) co_return body.error();
    co_return body.error().with_hint(std::move(hint));
}

boost::asio::awaitable<result<std::string>> alidns_client::find_zone(std::string fqdn) {
    std::vector<std::string> zones;
    page_guard pages("DescribeDomains", domain_page_size, max_domain_pages,
                      "set zone in [challenge] to the zone that holds " + fqdn);
    for (bool more = true; more;) {
        param_list p{{"PageNumber", std::to_string(pages.pages() + 1)}, {"PageSize", std::to_string(domain_page_size)}};
        auto body = co_await call("DescribeDomains", "", std::move(p));
        if (!body) co_return body.error();
        auto parsed = parse_alidns_domains(*body);
        if (!parsed) co_return parsed.error().with_message("DescribeDomains: the answer does not have the documented shape");
        zones.insert(zones.end(), parsed->names.begin(), parsed->names.end());
        auto next = pages.numbered(parsed->domains, parsed->total_count);
        if (!next) co_return next.error();
        more = *next;
    }
    auto zone = zone_of(fqdn, zones);
    if (zone.empty())
        co_return failure{errc::not_found, "no Alibaba Cloud DNS zone of this account holds " + fqdn,
                          "set zone in [challenge] or add the domain to Alidns"};
    co_return zone;
}

boost::asio::awaitable<result<std::vector<alidns_record>>> alidns_client::find_txt(std::string zone, std::string rr) {
    const std::string sub = rr == "@" ? zone : rr + "." + zone;
    param_list p{{"SubDomain", sub}, {"DomainName", zone}, {"Type", "TXT"}, {"PageSize", "100"}};
    auto body = co_await call("DescribeSubDomainRecords", zone, std::move(p));
    if (!body) co_return body.error();
    auto parsed = parse_alidns_records(*body);
    if (!parsed)
        co_return parsed.error().with_message("DescribeSubDomainRecords: the answer does not have the documented shape");
    co_return std::move(parsed->records);
}

boost::asio::awaitable<result<std::string>> alidns_client::add_txt(std::string zone, std::string rr,
                                                                   std::string value, int ttl) {
    param_list p{{"DomainName", zone}, {"RR", rr}, {"Type", "TXT"}, {"Value", value}, {"TTL", std::to_string(ttl)}};
    auto body = co_await call("AddDomainRecord", zone, std::move(p));
    if (body) {
        auto id = parse_alidns_record_id(*body);
        if (!id) co_return id.error().with_message("AddDomainRecord: the answer has no RecordId");
        co_return id;
    }
    if (body.error().peer_code() != "DomainRecordDuplicate") co_return body.error();
    auto existing = co_await find_txt(zone, rr);
    if (!existing) co_return existing.error().context("AddDomainRecord said DomainRecordDuplicate");
    for (const auto& r : *existing)
        if (r.value == value) co_return r.record_id;
    co_return body.error().with_message("AddDomainRecord: DomainRecordDuplicate, yet DescribeSubDomainRecords does "
                                        "not list the value under " + rr + "." + zone);
}

boost::asio::awaitable<result<void>> alidns_client::delete_record(std::string record_id, std::string zone) {
    param_list p{{"RecordId", record_id}};
    auto body = co_await call("DeleteDomainRecord", zone, std::move(p));
    if (!body && body.error().peer_code() != "DomainRecordNotBelongToUser") co_return body.error();
    co_return result<void>{};
}

}  // namespace certman::cloud::alibaba
