#include <doctest/doctest.h>
#include <array>
#include "certman/acme/link.hpp"

using namespace certman::acme;

TEST_CASE("links_with_rel: RFC 8555 §7.4.2 alternates, several headers and several links per header") {
    const std::array<std::string_view, 3> headers{
        R"(<https://example.com/acme/directory>;rel="index")",
        R"(<https://example.com/acme/cert/mAt3xBGaobw/1>;rel="alternate", <https://example.com/acme/cert/mAt3xBGaobw/2>; rel=alternate)",
        R"(</acme/cert/mAt3xBGaobw/3>; title="a, b; c"; rel="ALTERNATE up", <https://example.com/issuer>;rel="up")",
    };
    const auto alts = links_with_rel(headers, "alternate", "https://example.com/acme/cert/mAt3xBGaobw");
    CHECK(alts == std::vector<std::string>{"https://example.com/acme/cert/mAt3xBGaobw/1",
                                           "https://example.com/acme/cert/mAt3xBGaobw/2",
                                           "https://example.com/acme/cert/mAt3xBGaobw/3"});
    const auto up = links_with_rel(headers, "up", "https://example.com/acme/cert/x");
    CHECK(up == std::vector<std::string>{"https://example.com/acme/cert/mAt3xBGaobw/3", "https://example.com/issuer"});
    CHECK(links_with_rel(headers, "index") == std::vector<std::string>{"https://example.com/acme/directory"});
    CHECK(links_with_rel(headers, "next").empty());
}

TEST_CASE("parse_links: malformed links are skipped, good ones kept") {
    struct row { const char* header; std::size_t count; };
    const row rows[] = {
        {"", 0},
        {"garbage", 0},
        {"<https://a/1>", 1},  // no params: a link without rel
        {"<https://a/1;rel=up", 0},  // unterminated target
        {"<https://a/1>;=x, <https://a/2>;rel=up", 1},
        {"<https://a/1> junk;rel=up, <https://a/2>;rel=up", 1},
        {", , <https://a/2>;rel=up ,", 1},
        {R"(<https://a/1>;rel="up";rel="alternate")", 1},
    };
    for (const auto& r : rows) {
        CAPTURE(r.header);
        const std::array<std::string_view, 1> h{r.header};
        CHECK(parse_links(h).size() == r.count);
    }
    const std::array<std::string_view, 1> twice{R"(<https://a/1>;rel="up";rel="alternate")"};
    CHECK(parse_links(twice).at(0).rel == std::vector<std::string>{"up"});  // RFC 8288 §3.3: first rel only
}

TEST_CASE("resolve_reference: Location and Link targets (RFC 3986 §5)") {
    struct row { const char* base; const char* ref; std::optional<std::string> want; };
    const row rows[] = {
        {"https://ca.example/acme/new-order", "https://ca.example/acme/order/1", "https://ca.example/acme/order/1"},
        {"https://ca.example/acme/new-order", "/acme/order/1", "https://ca.example/acme/order/1"},
        {"https://ca.example/acme/new-order", "order/1", "https://ca.example/acme/order/1"},
        {"https://127.0.0.1:14000/order-plz", "/my-order/abc", "https://127.0.0.1:14000/my-order/abc"},
        {"https://ca.example/a", "", std::nullopt},
        {"not a url", "/x", std::nullopt},
    };
    for (const auto& r : rows) {
        CAPTURE(r.ref);
        CHECK(resolve_reference(r.base, r.ref) == r.want);
    }
}
