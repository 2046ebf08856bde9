// The Alidns (Alibaba Cloud DNS, 2015-01-09) actions DNS-01 needs, over rpc_client with signature V3
// (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §6, §9): find the zone of a name, add a TXT
// record, list the TXT records of a name, delete a record by id. Retries (Throttling*, 5xx, timeouts) and the
// per-request timeout are rpc_client's (rpc_retry.hpp). Every error is a failure with the Alibaba Code as
// peer_code() and, for the documented codes, a hint saying what to do (alidns_model.hpp alidns_hint).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certman/cloud/alibaba/alidns_model.hpp"
#include "certman/cloud/alibaba/canonical_query.hpp"
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

class rpc_client;

class alidns_client {
public:
    // `rpc` must use signature_style::v3_acs3_hmac_sha256 and version alidns_api_version.
    explicit alidns_client(std::shared_ptr<rpc_client> rpc);

    // The hosted zone `fqdn` belongs to: DescribeDomains paged (PageSize 100, at most max_domain_pages pages),
    // the longest matching DomainName/PunyCode. Errors: errc::not_found with a hint to set [challenge] zone;
    // errc::protocol_error (page_guard.hpp) when TotalCount is over 5000 or negative, a page repeats or the
    // listing does not end within max_domain_pages, with the same hint; cloud and transport errors.
    boost::asio::awaitable<result<std::string>> find_zone(std::string fqdn);

    // AddDomainRecord(DomainName=zone, RR=rr, Type=TXT, Value=value, TTL=ttl) → RecordId. DomainRecordDuplicate
    // (the same RR, type and value exist already, e.g. a retry after a lost answer) is success once
    // DescribeSubDomainRecords shows the record; its id is returned.
    boost::asio::awaitable<result<std::string>> add_txt(std::string zone, std::string rr, std::string value, int ttl);

    // DescribeSubDomainRecords(SubDomain=rr.zone, DomainName=zone, Type=TXT, PageSize=100): the TXT records of
    // that name (at most 100: a name with more is not one certman manages).
    boost::asio::awaitable<result<std::vector<alidns_record>>> find_txt(std::string zone, std::string rr);

    // DeleteDomainRecord(RecordId). DomainRecordNotBelongToUser (Terraform's reading: already gone) is success.
    boost::asio::awaitable<result<void>> delete_record(std::string record_id, std::string zone);

    static constexpr int max_domain_pages = 50;
    static constexpr std::size_t domain_page_size = 100;

private:
    boost::asio::awaitable<result<std::string>> call(std::string_view action, std::string_view zone,
                                                     param_list params);

    std::shared_ptr<rpc_client> rpc_;
};

}  // namespace certman::cloud::alibaba
