// The alicloud-alb deployer's listener and job waits against a scripted ALB that answers every poll slowly: the
// waits are bounded by the wall clock (listener_wait, job_wait), not by the sum of the sleeps between polls, so a
// slow service cannot stretch them (include/certman/deploy/cas_listener_deployer.hpp).
#include <doctest/doctest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/core/errc.hpp"
#include "certman/deploy/alb_deployer.hpp"
#include "certman/net/http_client.hpp"
#include "haproxy_files_test_support.hpp"
#include "support/run_coroutine.hpp"
#include "support/static_credentials.hpp"

namespace certman::deploy {
namespace {
using boost::asio::awaitable;
using namespace std::chrono_literals;


// One answer per x-acs-action; the polled actions (GetListenerAttribute, ListAsynJobs) answer after `slow`.
class slow_alb final : public net::http_client {
public:
    std::map<std::string, std::string> answers;
    std::map<std::string, int> count;
    std::chrono::milliseconds slow{40};
    awaitable<result<net::http_response>> send(net::http_request r) override {
        std::string action;
        for (const auto& [n, v] : r.headers)
            if (n == "x-acs-action") action = v;
        ++count[action];
        if (action == "GetListenerAttribute" || action == "ListAsynJobs") {
            boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, slow);
            co_await t.async_wait(boost::asio::use_awaitable);
        }
        co_return net::http_response{200, {}, answers[action]};
    }
};

result<deploy_outcome> deploy(slow_alb& http) {
    return test::run_coroutine([&]() -> awaitable<result<deploy_outcome>> {
        cas_listener_tuning t;
        t.http = std::shared_ptr<net::http_client>(&http, [](net::http_client*) {});
        t.credentials = std::make_shared<certman::test::static_credentials>();
        t.first_poll = 1ms;  // the sleeps alone would take ~35 polls to add up to 100 ms
        t.max_poll = 3ms;
        t.listener_wait = 100ms;
        t.job_wait = 100ms;
        alb_deployer_options o;
        o.region = "cn-hangzhou";
        o.listener_id = "lsn-1";
        o.endpoint = o.cas_endpoint = "http://127.0.0.1:1";
        auto d = make_alb_deployer(co_await boost::asio::this_coro::executor, "alb", o, t);
        static const auto bundle = test::make_test_bundle("www.example.test");
        co_return co_await d->deploy("web", bundle);
    });
}

}  // namespace

TEST_CASE("alb deployer: a listener that stays Configuring, answering slowly, times out on the wall clock") {
    slow_alb http;
    http.answers["ListUserCertificateOrder"] = R"({"CertificateOrderList":[]})";
    http.answers["UploadUserCertificate"] = R"({"CertId":77})";
    http.answers["GetUserCertificateDetail"] = R"({"Id":77,"CertIdentifier":"77-cn-hangzhou"})";
    http.answers["GetListenerAttribute"] = R"({"ListenerStatus":"Configuring"})";
    auto r = deploy(http);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::timeout);
    // 100 ms of 40 ms polls: the first read and at most four more (before: about 35 polls, 1.4 s).
    CHECK(http.count["GetListenerAttribute"] <= 5);
}

TEST_CASE("alb deployer: a job that stays Processing, answering slowly, times out on the wall clock") {
    slow_alb http;
    http.answers["ListUserCertificateOrder"] = R"({"CertificateOrderList":[]})";
    http.answers["UploadUserCertificate"] = R"({"CertId":77})";
    http.answers["GetUserCertificateDetail"] = R"({"Id":77,"CertIdentifier":"77-cn-hangzhou"})";
    http.answers["GetListenerAttribute"] = R"({"ListenerStatus":"Running"})";
    http.answers["UpdateListenerAttribute"] = R"({"JobId":"j"})";
    http.answers["ListAsynJobs"] = R"({"Jobs":[{"Id":"j","Status":"Processing"}]})";
    auto r = deploy(http);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::timeout);
    CHECK(r.error().message().find("wait for job j") != std::string::npos);
    CHECK(http.count["ListAsynJobs"] <= 5);
}

}  // namespace certman::deploy
