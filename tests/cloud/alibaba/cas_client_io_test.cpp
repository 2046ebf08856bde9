// cas_client against a scripted CAS (a fake net::http_client): ListUserCertificateOrder paging stops at its bounds
// (page_guard.hpp) whatever TotalCount and the pages say.
#include <doctest/doctest.h>

#include <boost/asio/this_coro.hpp>
#include <functional>

#include "certman/cloud/alibaba/cas_client.hpp"
#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/cloud/alibaba/rpc_client.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"
#include "support/run_coroutine.hpp"
#include "support/static_credentials.hpp"

namespace certman::cloud::alibaba {
namespace {
using boost::asio::awaitable;


// Answers ListUserCertificateOrder with page(CurrentPage); counts the requests.
class fake_cas final : public net::http_client {
public:
    std::function<std::string(int)> page;
    int requests = 0;
    awaitable<result<net::http_response>> send(net::http_request r) override {
        ++requests;
        const auto at = r.url.find("CurrentPage=");
        const int n = at == std::string::npos ? 0 : std::stoi(r.url.substr(at + 12));
        co_return net::http_response{200, {}, page(n)};
    }
};

// {"CertificateOrderList":[50 entries with ids first..first+49],"TotalCount":total}
std::string full_page(int first, const std::string& total) {
    std::string list;
    for (int id = first; id < first + 50; ++id)
        list += (list.empty() ? "" : ",") + std::string(R"({"CertificateId":)") + std::to_string(id) + R"(,"Name":"n"})";
    return R"({"CertificateOrderList":[)" + list + "]" + (total.empty() ? "" : R"(,"TotalCount":)" + total) + "}";
}

result<std::vector<cas_certificate>> list(fake_cas& http) {
    return test::run_coroutine([&]() -> awaitable<result<std::vector<cas_certificate>>> {
        rpc_client_options o;  // member by member: GCC 12 mis-copies brace-initialized aggregates in coroutines
        o.endpoint = "http://127.0.0.1:1";
        o.version = std::string(cas_api_version);
        o.signature = signature_style::v3_acs3_hmac_sha256;
        auto rpc = std::make_shared<rpc_client>(co_await boost::asio::this_coro::executor,
                                                std::shared_ptr<net::http_client>(&http, [](net::http_client*) {}),
                                                std::make_shared<certman::test::static_credentials>(), o);
        cas_client cas(rpc);
        co_return co_await cas.list_uploads();
    });
}

}  // namespace

TEST_CASE("cas_client: 5000 uploads (100 full pages, TotalCount 5000) are read; one more is refused up front") {
    fake_cas http;
    http.page = [](int n) { return full_page(1 + 50 * (n - 1), "5000"); };
    auto all = list(http);
    REQUIRE(all.has_value());
    CHECK(all->size() == 5000);
    CHECK(all->back().id == 5000);
    CHECK(http.requests == 100);  // no empty 101st page asked for

    for (const char* total : {"5001", "1000000000"}) {
        CAPTURE(total);
        fake_cas huge;
        huge.page = [total](int n) { return full_page(1 + 50 * (n - 1), total); };
        auto r = list(huge);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == errc::protocol_error);
        CHECK(r.error().message() == std::string("ListUserCertificateOrder: TotalCount ") + total +
                                         " is more than the 5000 entries certman reads (100 pages of 50)");
        CHECK(r.error().hint() == "delete unused uploaded certificates in CAS: certman reads at most 5000");
        CHECK(huge.requests == 1);
    }
}

TEST_CASE("cas_client: a CAS that ignores CurrentPage, or never sends a short page, is stopped") {
    fake_cas repeat;
    repeat.page = [](int) { return full_page(1, "200"); };
    auto r = list(repeat);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message() == "ListUserCertificateOrder: page 2 lists only entries of earlier pages (the service "
                                 "repeats a page instead of the next)");
    CHECK(repeat.requests == 2);

    fake_cas endless;  // no TotalCount: only a short page ends the listing
    endless.page = [](int n) { return full_page(1 + 50 * (n - 1), ""); };
    auto e = list(endless);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message() == "ListUserCertificateOrder: still a full page after 100 pages of 50 (5000 entries), "
                                 "the most certman reads");
    CHECK(endless.requests == 100);
}

}  // namespace certman::cloud::alibaba
