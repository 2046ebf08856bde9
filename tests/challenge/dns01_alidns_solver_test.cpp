// The Alidns dns-01 solver against a scripted Alidns (a fake net::http_client) and a static key: what it adds,
// remembers and deletes, DomainRecordDuplicate, hints, and the propagation bound.
#include <doctest/doctest.h>

#include <boost/asio/this_coro.hpp>
#include <map>

#include "certman/challenge/dns01_alidns_solver.hpp"
#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"
#include "support/run_coroutine.hpp"
#include "support/static_credentials.hpp"

namespace certman::challenge {
namespace {
using boost::asio::awaitable;
using test::run_coroutine;


// Answers by x-acs-action from a script; records "<action> <query>".
class fake_alidns final : public net::http_client {
public:
    std::map<std::string, net::http_response> script;
    std::vector<std::string> seen;
    awaitable<result<net::http_response>> send(net::http_request r) override {
        std::string action;
        for (const auto& [n, v] : r.headers)
            if (n == "x-acs-action") action = v;
        const auto q = r.url.find('?');
        seen.push_back(action + " " + (q == std::string::npos ? "" : r.url.substr(q + 1)));
        auto it = script.find(action);
        if (it == script.end()) co_return net::http_response{404, {}, R"({"Code":"InvalidAction"})"};
        co_return it->second;
    }
};

const acme::challenge_params wildcard{acme::identifier::dns("*.example.test"), "tok", "tok.thumb"};
// base64url(SHA-256("tok.thumb")), computed independently (Python hashlib).
constexpr std::string_view wildcard_value = "sYAwVrqDtVOuJZvAHurSAYPoEt5fFV_C4bdSOOW-o5Y";

template <class F>
void with_solver(fake_alidns& http, dns01_alidns_options o, F&& body) {
    run_coroutine([&]() -> awaitable<void> {
        dns01_alidns_tuning t;
        t.http = std::shared_ptr<net::http_client>(&http, [](net::http_client*) {});
        t.credentials = std::make_shared<certman::test::static_credentials>();
        t.retry.base_delay = std::chrono::milliseconds(1);
        auto solver = make_dns01_alidns_solver(co_await boost::asio::this_coro::executor, o, t);
        co_await body(*solver);
    });
}

TEST_CASE("dns-01 alidns: adds the TXT at the wildcard's base name, remembers it, deletes only that record") {
    fake_alidns http;
    http.script["AddDomainRecord"] = {200, {}, R"({"RequestId":"r","RecordId":"42"})"};
    http.script["DeleteDomainRecord"] = {200, {}, R"({"RequestId":"r","RecordId":"42"})"};
    dns01_alidns_options o;
    o.zone = "example.test";
    with_solver(http, o, [&](acme::challenge_solver& s) -> awaitable<void> {
        CHECK(s.type() == "dns-01");
        CHECK(co_await s.present(wildcard));
        CHECK(co_await s.present(wildcard));  // idempotent: no second record
        co_await s.cleanup(wildcard);
        co_await s.cleanup(wildcard);  // already gone: nothing sent
    });
    REQUIRE(http.seen.size() == 2);
    CHECK(http.seen[0] == "AddDomainRecord DomainName=example.test&RR=_acme-challenge&TTL=600&Type=TXT&Value=" +
                              std::string(wildcard_value));
    CHECK(http.seen[1] == "DeleteDomainRecord RecordId=42");
}

TEST_CASE("dns-01 alidns: DomainRecordDuplicate is success once DescribeSubDomainRecords lists the value") {
    fake_alidns http;
    http.script["AddDomainRecord"] = {400, {}, R"({"Code":"DomainRecordDuplicate","Message":"dup","RequestId":"r"})"};
    http.script["DescribeSubDomainRecords"] = {
        200, {}, R"({"TotalCount":2,"DomainRecords":{"Record":[{"RecordId":"7","RR":"_acme-challenge","Type":"TXT","Value":"other"},)"
                 R"({"RecordId":"8","RR":"_acme-challenge","Type":"TXT","Value":")" + std::string(wildcard_value) + R"("}]}})"};
    http.script["DeleteDomainRecord"] = {400, {}, R"({"Code":"DomainRecordNotBelongToUser","RequestId":"r"})"};
    dns01_alidns_options o;
    o.zone = "example.test";
    with_solver(http, o, [&](acme::challenge_solver& s) -> awaitable<void> {
        CHECK(co_await s.present(wildcard));
        co_await s.cleanup(wildcard);  // already gone at Alidns: fine
    });
    REQUIRE(http.seen.size() == 3);
    CHECK(http.seen[1] == "DescribeSubDomainRecords DomainName=example.test&PageSize=100&SubDomain=_acme-challenge.example.test&Type=TXT");
    CHECK(http.seen[2] == "DeleteDomainRecord RecordId=8");  // the record with our value, never "7"
}

TEST_CASE("dns-01 alidns: zone discovery, errors with the fix") {
    fake_alidns http;
    http.script["DescribeDomains"] = {
        200, {}, R"({"TotalCount":2,"Domains":{"Domain":[{"DomainName":"test"},{"DomainName":"example.test"}]}})"};
    http.script["AddDomainRecord"] = {403, {}, R"({"Code":"Forbidden.RAM","Message":"no","RequestId":"r"})"};
    with_solver(http, {}, [&](acme::challenge_solver& s) -> awaitable<void> {
        // (Named before co_await: GCC 12 miscompiles braced temporaries inside co_await expressions.)
        const acme::challenge_params www{acme::identifier::dns("www.example.test"), "t", "t.k"};
        auto r = co_await s.present(www);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::cloud_error);
        CHECK(r.error().peer_code() == "Forbidden.RAM");
        // The hint is part of the message: the driver and the renewal state keep the message only.
        CHECK(r.error().message().find("alidns:AddDomainRecord on acs:alidns:*:*:domain/example.test") !=
              std::string::npos);
    });
    CHECK(http.seen[0] == "DescribeDomains PageNumber=1&PageSize=100");
    CHECK(http.seen[1].find("RR=_acme-challenge.www&") != std::string::npos);
}

TEST_CASE("dns-01 alidns: DescribeDomains paging is bounded; a huge TotalCount or a repeated page is refused") {
    fake_alidns http;
    std::string page;
    std::string total;
    std::string want;
    std::size_t requests = 0;
    SUBCASE("TotalCount 10^9: refused after the first page (5000 is the most certman reads)") {
        page = R"({"DomainName":"example.test"})";
        total = "1000000000";
        want = "DescribeDomains: TotalCount 1000000000 is more than the 5000 entries certman reads (50 pages of 100)";
        requests = 1;
    }
    SUBCASE("TotalCount 5000 is read; a service that ignores PageNumber repeats page 1: refused at page 2") {
        for (int i = 0; i < 99; ++i) page += R"({"DomainName":"d)" + std::to_string(i) + R"(.test"},)";
        page += R"({"DomainName":"example.test"})";
        total = "5000";
        want = "DescribeDomains: page 2 lists only entries of earlier pages (the service repeats a page instead of "
               "the next)";
        requests = 2;
    }
    http.script["DescribeDomains"] = {200, {}, R"({"TotalCount":)" + total + R"(,"Domains":{"Domain":[)" + page + "]}}"};
    with_solver(http, {}, [&](acme::challenge_solver& s) -> awaitable<void> {
        const acme::challenge_params www{acme::identifier::dns("www.example.test"), "t", "t.k"};
        auto r = co_await s.present(www);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::protocol_error);
        CAPTURE(r.error().message());
        CHECK(r.error().message() == "dns-01 for www.example.test: " + want +
                                         " (set zone in [challenge] to the zone that holds _acme-challenge.www.example.test)");
    });
    CHECK(http.seen.size() == requests);  // no AddDomainRecord into a zone chosen from a partial listing
}

TEST_CASE("dns-01 alidns: wait_ready is bounded by propagation_timeout and names the resolver") {
    fake_alidns http;
    dns01_alidns_options o;
    o.zone = "example.test";
    o.propagation_timeout = std::chrono::seconds(1);
    o.poll_interval = std::chrono::seconds(1);
    o.resolvers = {"127.0.0.1:9"};  // nothing answers DNS there
    with_solver(http, o, [&](acme::challenge_solver& s) -> awaitable<void> {
        auto r = co_await s.wait_ready(wildcard);
        REQUIRE_FALSE(r);
        CHECK(r.error() == errc::timeout);
        CHECK(r.error().message().find("127.0.0.1:9") != std::string::npos);
    });
}

TEST_CASE("dns-01 alidns: options are checked") {
    dns01_alidns_options o;
    CHECK(check_dns01_alidns_options(o).empty());
    o.ttl = 0;
    CHECK(check_dns01_alidns_options(o).find("ttl 0") != std::string::npos);
    o.ttl = 86400;
    CHECK(check_dns01_alidns_options(o).empty());
    o.ttl = 86401;
    CHECK_FALSE(check_dns01_alidns_options(o).empty());
    o.ttl = 600;
    o.resolvers = {"dns.example:53"};
    CHECK(check_dns01_alidns_options(o).find("IP:port") != std::string::npos);
    o.resolvers = {};
    o.endpoint = "http://alidns.example";
    CHECK_FALSE(check_dns01_alidns_options(o).empty());
}

}  // namespace
}  // namespace certman::challenge
