// The alicloud-alb / alicloud-nlb deployers against a scripted CAS + ALB/NLB (a fake net::http_client): the
// calls and their parameter placement, the same ClientToken on a retry, already deployed, and the bounds of
// the listener and job waits, the cleanup of older uploads (include/certman/deploy/cas_listener_deployer.hpp).
#include <doctest/doctest.h>

#include <boost/asio/this_coro.hpp>
#include <deque>
#include <map>

#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/core/errc.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/deploy/alb_deployer.hpp"
#include "certman/deploy/nlb_deployer.hpp"
#include "certman/net/http_client.hpp"
#include "haproxy_files_test_support.hpp"
#include "support/run_coroutine.hpp"
#include "support/static_credentials.hpp"

namespace certman::deploy {
namespace {
using boost::asio::awaitable;
using namespace std::chrono_literals;


struct seen_request {
    std::string action, version, query, body, content_type;
};

// Answers by x-acs-action from per-action queues (the last answer repeats); records every request.
class fake_service final : public net::http_client {
public:
    std::map<std::string, std::deque<net::http_response>> script;
    std::vector<seen_request> seen;
    void answer(const std::string& action, unsigned status, std::string body) {
        script[action].push_back({status, {}, std::move(body)});
    }
    std::size_t count(std::string_view action) const {
        std::size_t n = 0;
        for (const auto& s : seen) n += s.action == action;
        return n;
    }
    const seen_request& last(std::string_view action) const {
        for (auto it = seen.rbegin(); it != seen.rend(); ++it)
            if (it->action == action) return *it;
        FAIL("no " << action);
        return seen.front();
    }
    awaitable<result<net::http_response>> send(net::http_request r) override {
        seen_request s;
        for (const auto& [n, v] : r.headers) {
            if (n == "x-acs-action") s.action = v;
            if (n == "x-acs-version") s.version = v;
            if (n == "content-type") s.content_type = v;
        }
        const auto q = r.url.find('?');
        s.query = q == std::string::npos ? "" : r.url.substr(q + 1);
        s.body = r.body;
        seen.push_back(s);
        auto& queue = script[s.action];
        if (queue.empty()) co_return net::http_response{404, {}, R"({"Code":"InvalidAction.NotFound"})"};
        auto res = queue.front();
        if (queue.size() > 1) queue.pop_front();
        co_return res;
    }
};

// Made on first use, inside a test case (make_test_bundle REQUIREs).
const storage::certificate_bundle& test_bundle() {
    static const auto b = test::make_test_bundle("www.example.test");
    return b;
}
std::string leaf_sha256() { return crypto::inspect_certificate(test_bundle().certificate_pem)->sha256_fingerprint; }

cas_listener_tuning fast(fake_service& http) {
    cas_listener_tuning t;
    t.http = std::shared_ptr<net::http_client>(&http, [](net::http_client*) {});
    t.credentials = std::make_shared<certman::test::static_credentials>();
    t.retry.base_delay = 1ms;
    t.first_poll = 1ms;
    t.max_poll = 2ms;
    t.listener_wait = 20ms;
    t.job_wait = 20ms;
    return t;
}

template <class Options>
Options options(std::string listener) {
    Options o;
    o.region = "cn-hangzhou";
    o.listener_id = std::move(listener);
    o.endpoint = o.cas_endpoint = "http://127.0.0.1:1";
    return o;
}

result<deploy_outcome> deploy_alb(fake_service& http, int keep_previous = 1) {
    return test::run_coroutine([&]() -> awaitable<result<deploy_outcome>> {
        auto o = options<alb_deployer_options>("lsn-1");
        o.keep_previous = keep_previous;
        auto d = make_alb_deployer(co_await boost::asio::this_coro::executor, "alb", o, fast(http));
        co_return co_await d->deploy("web", test_bundle());
    });
}

void script_fresh_upload(fake_service& http) {
    http.answer("ListUserCertificateOrder", 200, R"({"CertificateOrderList":[],"TotalCount":0})");
    http.answer("UploadUserCertificate", 200, R"({"CertId":77})");
    http.answer("GetUserCertificateDetail", 200, R"({"Id":77,"CertIdentifier":"77-cn-hangzhou"})");
}

}  // namespace

TEST_CASE("alb deployer: upload, wait for Running, update (same ClientToken on retry), wait for the job, verify") {
    fake_service http;
    script_fresh_upload(http);
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Configuring","Certificates":[{"CertificateId":"1-cn-hangzhou"}]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"1-cn-hangzhou"}]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Configuring","Certificates":[{"CertificateId":"77-cn-hangzhou"}]})");
    http.answer("UpdateListenerAttribute", 400, R"({"Code":"SystemBusy","Message":"busy","RequestId":"r"})");
    http.answer("UpdateListenerAttribute", 200, R"({"JobId":"job-1"})");
    http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"job-1","Status":"Processing"}]})");
    http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"job-1","Status":"Succeeded"}]})");
    auto r = deploy_alb(http);
    REQUIRE(r.has_value());
    CHECK(r->changed);
    CHECK(r->detail == "listener lsn-1 now serves CAS certificate 77-cn-hangzhou (uploaded)");
    CHECK(http.count("UploadUserCertificate") == 1);
    CHECK(http.last("UploadUserCertificate").query.starts_with("Cert=-----BEGIN%20CERTIFICATE-----"));
    CHECK(http.last("UploadUserCertificate").query.find("&Name=certman_web_") != std::string::npos);
    CHECK(http.last("UploadUserCertificate").version == "2020-04-07");
    REQUIRE(http.count("UpdateListenerAttribute") == 2);
    std::vector<std::string> updates;
    for (const auto& s : http.seen)
        if (s.action == "UpdateListenerAttribute") updates.push_back(s.query);
    CHECK(updates[0] == updates[1]);  // the same ClientToken
    CHECK(updates[0].starts_with("Certificates.1.CertificateId=77-cn-hangzhou&ClientToken="));
    CHECK(updates[0].ends_with("&ListenerId=lsn-1"));
    CHECK(http.last("UpdateListenerAttribute").body.empty());
    CHECK(http.last("UpdateListenerAttribute").version == "2020-06-16");
    CHECK(http.last("ListAsynJobs").query == "JobIds.1=job-1");
    CHECK(http.count("ListAsynJobs") == 2);
}

TEST_CASE("nlb deployer: UpdateListenerAttribute parameters travel in a form body, reads in the query") {
    fake_service http;
    script_fresh_upload(http);
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","CertificateIds":["1-cn-hangzhou"]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","CertificateIds":["77-cn-hangzhou"]})");
    http.answer("UpdateListenerAttribute", 200, R"({"JobId":"job-9"})");
    http.answer("GetJobStatus", 200, R"({"Status":"Succeeded"})");
    auto r = test::run_coroutine([&]() -> awaitable<result<deploy_outcome>> {
        auto d = make_nlb_deployer(co_await boost::asio::this_coro::executor, "nlb",
                                   options<nlb_deployer_options>("lsn-x@443"), fast(http));
        co_return co_await d->deploy("web", test_bundle());
    });
    REQUIRE(r.has_value());
    const auto& u = http.last("UpdateListenerAttribute");
    CHECK(u.query.empty());
    CHECK(u.content_type == "application/x-www-form-urlencoded");
    CHECK(u.body.starts_with("CertificateIds.1=77-cn-hangzhou&ClientToken="));
    CHECK(u.body.ends_with("&ListenerId=lsn-x%40443&RegionId=cn-hangzhou"));
    CHECK(u.version == "2022-04-30");
    CHECK(http.last("GetListenerAttribute").query == "ListenerId=lsn-x%40443&RegionId=cn-hangzhou");
    CHECK(http.last("GetJobStatus").query == "JobId=job-9");
}

TEST_CASE("alb deployer: the listener already serves our CAS certificate: nothing uploaded or updated") {
    fake_service http;
    http.answer("ListUserCertificateOrder", 200,
                R"({"CertificateOrderList":[{"CertificateId":77,"Name":"x","Sha2":")" + leaf_sha256() + R"("}]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"77-cn-hangzhou"}]})");
    auto r = deploy_alb(http);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->changed);
    CHECK(http.count("UploadUserCertificate") == 0);
    CHECK(http.count("UpdateListenerAttribute") == 0);
}

TEST_CASE("alb deployer: CAS has our certificate but the listener serves another: point it, no upload") {
    fake_service http;
    http.answer("ListUserCertificateOrder", 200,
                R"({"CertificateOrderList":[{"CertificateId":77,"Name":"x","Sha2":")" + leaf_sha256() + R"("}]})");
    http.answer("GetUserCertificateDetail", 200, R"({"Id":77,"CertIdentifier":""})");  // empty: <id>-<region>
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"5-cn-hangzhou"}]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"77-cn-hangzhou"}]})");
    http.answer("UpdateListenerAttribute", 200, R"({"JobId":"j"})");
    http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"j","Status":"Succeeded"}]})");
    auto r = deploy_alb(http);
    REQUIRE(r.has_value());
    CHECK(r->detail.ends_with("(reused)"));
    CHECK(http.count("UploadUserCertificate") == 0);
    CHECK(http.last("UpdateListenerAttribute").query.starts_with("Certificates.1.CertificateId=77-cn-hangzhou&"));
}

TEST_CASE("alb deployer: waits are bounded; failures say what to check") {
    fake_service http;
    script_fresh_upload(http);
    SUBCASE("a listener that stays Configuring: timeout, no update sent") {
        http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Configuring"})");
        auto r = deploy_alb(http);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == errc::timeout);
        CHECK(r.error().message().find("ListenerStatus is still Configuring") != std::string::npos);
        CHECK(http.count("UpdateListenerAttribute") == 0);
    }
    SUBCASE("a job that stays Processing: timeout; a Failed job: its ErrorCode") {
        http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running"})");
        http.answer("UpdateListenerAttribute", 200, R"({"JobId":"j"})");
        SUBCASE("processing") {
            http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"j","Status":"Processing"}]})");
            auto r = deploy_alb(http);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error() == errc::timeout);
            CHECK(r.error().message().find("wait for job j") != std::string::npos);
        }
        SUBCASE("failed") {
            http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"j","Status":"Failed","ErrorCode":"E.X"}]})");
            auto r = deploy_alb(http);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error() == errc::cloud_error);
            CHECK(r.error().peer_code() == "E.X");
        }
    }
    SUBCASE("the listener does not take the certificate: protocol_error") {
        http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"5"}]})");
        http.answer("UpdateListenerAttribute", 200, R"({"JobId":"j"})");
        http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"j","Status":"Succeeded"}]})");
        auto r = deploy_alb(http);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == errc::protocol_error);
        CHECK(r.error().message().find("still serves 5 after being set to 77-cn-hangzhou") != std::string::npos);
    }
}

TEST_CASE("alb deployer: permission errors carry the Code and the RAM action; an unknown listener its id") {
    fake_service http;
    SUBCASE("CAS upload refused") {
        http.answer("ListUserCertificateOrder", 200, R"({"CertificateOrderList":[]})");
        http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running"})");
        http.answer("UploadUserCertificate", 403, R"({"Code":"Forbidden.RAM","Message":"no","RequestId":"r"})");
        auto r = deploy_alb(http);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().peer_code() == "Forbidden.RAM");
        CHECK(r.error().hint().find("yundun-cert:UploadUserCertificate") != std::string::npos);
        CHECK(r.error().message().starts_with("alicloud-alb alb: upload certman_web_"));
        CHECK(http.count("ListUserCertificateOrder") == 2);  // looked again in case it was stored anyway
        CHECK(http.count("UploadUserCertificate") == 1);      // a refusal is final
    }
    SUBCASE("unknown listener") {
        http.answer("GetListenerAttribute", 404, R"({"Code":"ResourceNotFound.Listener","Message":"no","RequestId":"r"})");
        auto r = deploy_alb(http);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().hint() == "check listener_id \"lsn-1\": no ALB listener with that id in region cn-hangzhou");
        CHECK(r.error().message().find("(listener lsn-1, region cn-hangzhou)") != std::string::npos);
    }
}

namespace {
// CAS holds certman's older uploads of "web" (5, 6; 7 only in the EXPIRED listing), another certificate's (8)
// and the bootstrap the listener serves (1); the pass uploads 77 and points the listener at it.
void script_cleanup(fake_service& http) {
    http.answer("ListUserCertificateOrder", 200,
                R"({"CertificateOrderList":[{"CertificateId":5,"Name":"certman_web_20200101_aa"},)"
                R"({"CertificateId":6,"Name":"certman_web_20200201_bb"},{"CertificateId":8,"Name":"certman_webx_20200101_aa"},)"
                R"({"CertificateId":1,"Name":"bootstrap"}]})");
    http.answer("ListUserCertificateOrder", 200, R"({"CertificateOrderList":[{"CertificateId":7,"Name":"certman_web_20200301_cc"}]})");
    http.answer("UploadUserCertificate", 200, R"({"CertId":77})");
    http.answer("GetUserCertificateDetail", 200, R"({"Id":77,"CertIdentifier":"77-cn-hangzhou"})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"1-cn-hangzhou"}]})");
    http.answer("GetListenerAttribute", 200, R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"77-cn-hangzhou"}]})");
    http.answer("UpdateListenerAttribute", 200, R"({"JobId":"j"})");
    http.answer("ListAsynJobs", 200, R"({"Jobs":[{"Id":"j","Status":"Succeeded"}]})");
}
std::vector<std::string> deletes(const fake_service& http) {
    std::vector<std::string> out;
    for (const auto& s : http.seen)
        if (s.action == "DeleteUserCertificate") out.push_back(s.query);
    return out;
}
}  // namespace

TEST_CASE("alb deployer: after the switch, older certman uploads go (expired ones too), newest first") {
    fake_service http;
    script_cleanup(http);
    http.answer("DeleteUserCertificate", 200, R"({"RequestId":"r"})");
    SUBCASE("keep_previous 1: the newest older upload (7) stays") {
        auto r = deploy_alb(http, 1);
        REQUIRE(r.has_value());
        CHECK(r->detail == "listener lsn-1 now serves CAS certificate 77-cn-hangzhou (uploaded), deleted 2 older CAS upload(s)");
        CHECK(deletes(http) == std::vector<std::string>{"CertId=6", "CertId=5"});
        CHECK(http.last("DeleteUserCertificate").version == "2020-04-07");
        CHECK(http.last("DeleteUserCertificate").body.empty());
        CHECK(http.last("ListUserCertificateOrder").query == "CurrentPage=1&OrderType=UPLOAD&ShowSize=50&Status=EXPIRED");
    }
    SUBCASE("keep_previous 0 and 2") {
        CHECK(deploy_alb(http, 0).has_value());
        CHECK(deletes(http) == std::vector<std::string>{"CertId=7", "CertId=6", "CertId=5"});
        fake_service again;
        script_cleanup(again);
        again.answer("DeleteUserCertificate", 200, R"({"RequestId":"r"})");
        CHECK(deploy_alb(again, 2).has_value());
        CHECK(deletes(again) == std::vector<std::string>{"CertId=5"});
    }
}

TEST_CASE("alb deployer: a refused deletion is a warning, the deploy succeeds; credentials problems stop the rest") {
    fake_service http;
    script_cleanup(http);
    SUBCASE("one certificate refused: the next is still deleted") {
        http.answer("DeleteUserCertificate", 400, R"({"Code":"CertificateInUse","Message":"bound","RequestId":"r"})");
        http.answer("DeleteUserCertificate", 200, R"({"RequestId":"r"})");
        auto r = deploy_alb(http, 0);
        REQUIRE(r.has_value());
        CHECK(r->changed);
        CHECK(deletes(http) == std::vector<std::string>{"CertId=7", "CertId=6", "CertId=5"});
        CHECK(r->detail.ends_with(", deleted 2 older CAS upload(s), cleanup: 1 warning(s)"));
    }
    SUBCASE("a permission error stops after the first") {
        http.answer("DeleteUserCertificate", 403, R"({"Code":"Forbidden.RAM","Message":"no","RequestId":"r"})");
        auto r = deploy_alb(http, 0);
        REQUIRE(r.has_value());
        CHECK(deletes(http) == std::vector<std::string>{"CertId=7"});
        CHECK(r->detail.ends_with("(uploaded), cleanup: 1 warning(s)"));
    }
    SUBCASE("the EXPIRED listing fails: nothing deleted, the deploy still succeeds") {
        http.script["ListUserCertificateOrder"].pop_back();
        http.answer("ListUserCertificateOrder", 403, R"({"Code":"Forbidden.RAM","Message":"no","RequestId":"r"})");
        auto r = deploy_alb(http, 0);
        REQUIRE(r.has_value());
        CHECK(deletes(http).empty());
        CHECK(r->detail.ends_with("(uploaded), cleanup: 1 warning(s)"));
    }
}

TEST_CASE("alb deployer: already deployed still cleans up; what the listener references is kept") {
    fake_service http;
    http.answer("ListUserCertificateOrder", 200,
                R"({"CertificateOrderList":[{"CertificateId":77,"Name":"x","Sha2":")" + leaf_sha256() +
                    R"("},{"CertificateId":5,"Name":"certman_web_20200101_aa"},{"CertificateId":6,"Name":"certman_web_20200201_bb"}]})");
    http.answer("ListUserCertificateOrder", 200, R"({"CertificateOrderList":[]})");
    http.answer("GetListenerAttribute", 200,
                R"({"ListenerStatus":"Running","Certificates":[{"CertificateId":"77-cn-hangzhou"},{"CertificateId":"6"}]})");
    http.answer("DeleteUserCertificate", 200, R"({"RequestId":"r"})");
    auto r = deploy_alb(http, 0);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->changed);
    CHECK(deletes(http) == std::vector<std::string>{"CertId=5"});
    CHECK(r->detail == "listener lsn-1 already serves CAS certificate 77, deleted 1 older CAS upload(s)");
}

}  // namespace certman::deploy
