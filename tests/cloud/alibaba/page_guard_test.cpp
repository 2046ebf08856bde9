// Paged-listing bounds: every way a service's answers could keep a walk going ends within max_pages answers, with
// the action in the message.
#include <doctest/doctest.h>

#include "certman/cloud/alibaba/page_guard.hpp"
#include "certman/core/errc.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;

namespace {

std::vector<std::string> keys(int from, int n) {
    std::vector<std::string> out;
    for (int i = from; i < from + n; ++i) out.push_back(std::to_string(i));
    return out;
}

page_guard three_pages_of_two() { return page_guard("DescribeDomains", 2, 3, "set zone in [challenge]"); }

}  // namespace

TEST_CASE("page_guard: a page-number walk ends on a short page or once TotalCount entries are read") {
    auto g = three_pages_of_two();
    CHECK(g.numbered(keys(0, 2), 5).value() == true);
    CHECK(g.numbered(keys(2, 2), 5).value() == true);
    CHECK(g.numbered(keys(4, 1), 5).value() == false);
    CHECK(g.pages() == 3);
    auto exact = three_pages_of_two();
    CHECK(exact.numbered(keys(0, 2), 4).value() == true);
    CHECK(exact.numbered(keys(2, 2), 4).value() == false);  // TotalCount read: no empty third page asked for
    auto empty = three_pages_of_two();
    CHECK(empty.numbered({}, std::nullopt).value() == false);
    auto untold = three_pages_of_two();  // no TotalCount: the short page ends it
    CHECK(untold.numbered(keys(0, 2), std::nullopt).value() == true);
    CHECK(untold.numbered({}, std::nullopt).value() == false);
}

TEST_CASE("page_guard: TotalCount at the bound is walked, one more is refused before the next request") {
    auto at = three_pages_of_two();
    CHECK(at.numbered(keys(0, 2), 6).value() == true);
    CHECK(at.numbered(keys(2, 2), 6).value() == true);
    CHECK(at.numbered(keys(4, 2), 6).value() == false);
    for (std::int64_t total : {std::int64_t{7}, std::int64_t{1'000'000'000}, std::int64_t{-1}}) {
        CAPTURE(total);
        auto g = three_pages_of_two();
        auto r = g.numbered(keys(0, 2), total);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::protocol_error);
        CHECK(r.error().hint() == "set zone in [challenge]");
        CHECK(r.error().message() == (total < 0 ? "DescribeDomains: TotalCount -1 is not a count"
                                                : "DescribeDomains: TotalCount " + std::to_string(total) +
                                                      " is more than the 6 entries certman reads (3 pages of 2)"));
    }
}

TEST_CASE("page_guard: a service that repeats a page, or never sends a short one, is stopped") {
    auto repeat = three_pages_of_two();
    CHECK(repeat.numbered(keys(0, 2), 6).value() == true);
    auto r = repeat.numbered(keys(0, 2), 6);  // page 1 again: the service ignores PageNumber
    REQUIRE_FALSE(r);
    CHECK(r.error().message() ==
          "DescribeDomains: page 2 lists only entries of earlier pages (the service repeats a page instead of the next)");
    auto overlap = three_pages_of_two();  // one new entry is progress (an insertion shifted the listing)
    CHECK(overlap.numbered(keys(0, 2), std::nullopt).value() == true);
    CHECK(overlap.numbered(keys(1, 2), std::nullopt).value() == true);
    auto endless = three_pages_of_two();
    CHECK(endless.numbered(keys(0, 2), std::nullopt).value() == true);
    CHECK(endless.numbered(keys(2, 2), std::nullopt).value() == true);
    auto e = endless.numbered(keys(4, 2), std::nullopt);
    REQUIRE_FALSE(e);
    CHECK(e.error().message() ==
          "DescribeDomains: still a full page after 3 pages of 2 (6 entries), the most certman reads");
    CHECK(endless.pages() == 3);
}

TEST_CASE("page_guard: continuation tokens end, must not repeat, and are bounded") {
    page_guard g("ListObjectsV2", 0, 3, "");
    CHECK(g.token("a").value() == true);
    CHECK(g.token("b").value() == true);
    CHECK(g.token("").value() == false);
    page_guard cycle("ListObjectsV2", 0, 5, "");
    CHECK(cycle.token("a").value() == true);
    CHECK(cycle.token("b").value() == true);
    auto r = cycle.token("a");  // a → b → a: the immediately previous token differs, the walk would still cycle
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::protocol_error);
    CHECK(r.error().message() ==
          "ListObjectsV2: the continuation token of page 3 was given before (the listing would never end)");
    page_guard endless("ListObjectsV2", 0, 3, "");
    CHECK(endless.token("1").value() == true);
    CHECK(endless.token("2").value() == true);
    auto e = endless.token("3");
    REQUIRE_FALSE(e);
    CHECK(e.error().message() == "ListObjectsV2: still a continuation token after 3 pages, the most certman reads");
}
