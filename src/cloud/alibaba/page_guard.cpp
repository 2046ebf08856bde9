// Paged-listing bounds (contract in include/certman/cloud/alibaba/page_guard.hpp).
#include "certman/cloud/alibaba/page_guard.hpp"

#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {

page_guard::page_guard(std::string action, std::size_t page_size, int max_pages, std::string hint)
    : action_(std::move(action)), page_size_(page_size), max_pages_(max_pages < 1 ? 1 : max_pages),
      hint_(std::move(hint)) {}

failure page_guard::fail(std::string why) const {
    return failure{errc::protocol_error, action_ + ": " + why, hint_};
}

result<bool> page_guard::numbered(const std::vector<std::string>& keys, std::optional<std::int64_t> total_count) {
    ++pages_;
    const auto most = static_cast<std::int64_t>(page_size_) * max_pages_;
    if (total_count && *total_count < 0) return fail("TotalCount " + std::to_string(*total_count) + " is not a count");
    if (total_count && *total_count > most)
        return fail("TotalCount " + std::to_string(*total_count) + " is more than the " + std::to_string(most) +
                    " entries certman reads (" + std::to_string(max_pages_) + " pages of " +
                    std::to_string(page_size_) + ")");
    std::size_t fresh = 0;
    for (const auto& k : keys) fresh += seen_.insert(k).second ? 1 : 0;
    entries_ += keys.size();
    if (keys.size() < page_size_) return false;
    if (total_count && static_cast<std::int64_t>(entries_) >= *total_count) return false;
    if (fresh == 0)
        return fail("page " + std::to_string(pages_) +
                    " lists only entries of earlier pages (the service repeats a page instead of the next)");
    if (pages_ >= max_pages_)
        return fail("still a full page after " + std::to_string(pages_) + " pages of " +
                    std::to_string(page_size_) + " (" + std::to_string(most) + " entries), the most certman reads");
    return true;
}

result<bool> page_guard::token(const std::string& next_token) {
    ++pages_;
    if (next_token.empty()) return false;
    if (!seen_.insert(next_token).second)
        return fail("the continuation token of page " + std::to_string(pages_) +
                    " was given before (the listing would never end)");
    if (pages_ >= max_pages_)
        return fail("still a continuation token after " + std::to_string(pages_) + " pages, the most certman reads");
    return true;
}

}  // namespace certman::cloud::alibaba
