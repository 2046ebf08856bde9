// Bounds on walking a paged listing whose answers decide when the walk ends. Page-number APIs (Alidns
// DescribeDomains, CAS ListUserCertificateOrder; reference alibaba-cas-alb-nlb-alidns.md §2.2, §6) end on a short
// page or once TotalCount entries are read; token APIs (OSS ListObjectsV2, alibaba-api.md §4) when no continuation
// token comes back. A broken or hostile service could keep either walk going (TotalCount 10^9, a service that
// ignores the page number and sends page 1 again, tokens that cycle or never run out): page_guard ends it after at
// most max_pages answers with a failure naming the action, what the service did and what the operator can do.
// Pure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

class page_guard {
public:
    // `action` names the listing in messages ("DescribeDomains"); `page_size` is the number of entries asked for
    // per page (page-number APIs; 0 for token APIs); at most `max_pages` answers are read; `hint` says what to do
    // when the listing is longer than that ("set zone in [challenge]"). (A constructor, not an aggregate: GCC 12
    // mis-copies brace-initialized aggregates in coroutines.)
    page_guard(std::string action, std::size_t page_size, int max_pages, std::string hint);

    // Page-number APIs: records one answer, its entries' keys (ids) and its TotalCount (nullopt when the caller does
    // not use it). true: ask for page pages() + 1; false: the listing is complete (a page shorter than page_size, or
    // TotalCount entries read). Errors, errc::protocol_error with "<action>: ..." and the hint: TotalCount negative
    // or more than max_pages · page_size; a full page whose keys were all read before (the service repeats a page);
    // max_pages full pages and still no end.
    result<bool> numbered(const std::vector<std::string>& keys, std::optional<std::int64_t> total_count);

    // Token APIs: records one answer and its continuation token ("" = the last page). true: ask again with it.
    // Errors, as above: a token seen before (the walk would cycle); max_pages answers and still a token.
    result<bool> token(const std::string& next_token);

    int pages() const noexcept { return pages_; }

private:
    failure fail(std::string why) const;

    std::string action_;
    std::size_t page_size_;
    int max_pages_;
    std::string hint_;
    int pages_ = 0;
    std::size_t entries_ = 0;
    std::set<std::string> seen_;  // keys, or tokens: at most max_pages · page_size, or max_pages
};

}  // namespace certman::cloud::alibaba
