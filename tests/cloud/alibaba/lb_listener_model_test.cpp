// ALB/NLB listener and job answers, hints, endpoints (reference alibaba-cas-alb-nlb-alidns.md §3, §4, §7).
#include <doctest/doctest.h>

#include "certman/cloud/alibaba/bounded_text.hpp"
#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/cloud/alibaba/lb_listener_model.hpp"
#include "certman/core/errc.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;

TEST_CASE("lb: ALB GetListenerAttribute → status and Certificates[].CertificateId") {
    auto s = parse_listener(lb_product::alb,
                            R"({"ListenerId":"lsn-1","ListenerStatus":"Running","Certificates":[{"CertificateId":"12-cn-hangzhou"}],)"
                            R"("CaCertificates":[{"CertificateId":"9","IsDefault":true}]})");
    REQUIRE(s.has_value());
    CHECK(s->running());
    CHECK(s->certificate_ids == std::vector<std::string>{"12-cn-hangzhou"});
    auto c = parse_listener(lb_product::alb, R"({"ListenerStatus":"Configuring"})");
    REQUIRE(c.has_value());
    CHECK_FALSE(c->running());
    CHECK(c->certificate_ids.empty());
}

TEST_CASE("lb: NLB GetListenerAttribute → status and CertificateIds[] strings") {
    auto s = parse_listener(lb_product::nlb, R"({"ListenerStatus":"Running","CertificateIds":["12-cn-hangzhou"]})");
    REQUIRE(s.has_value());
    CHECK(s->certificate_ids == std::vector<std::string>{"12-cn-hangzhou"});
    // The ALB shape is not the NLB one: objects where strings are expected.
    CHECK_FALSE((parse_listener(lb_product::nlb, R"({"ListenerStatus":"Running","CertificateIds":[{"CertificateId":"1"}]})")).has_value());
}

TEST_CASE("lb: malformed or oversized listener answers are refused with the action named") {
    for (auto p : {lb_product::alb, lb_product::nlb})
        for (const char* bad : {"", "[]", "{}", R"({"ListenerStatus":5})", R"({"ListenerStatus":""})",
                                R"({"ListenerStatus":"Running","Certificates":"x","CertificateIds":"x"})"}) {
            CAPTURE(bad);
            auto r = parse_listener(p, bad);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error() == errc::parse_error);
            CHECK(r.error().message().starts_with("GetListenerAttribute: "));
        }
    const std::string big(max_answer_bytes + 1, ' ');
    CHECK(parse_listener(lb_product::alb, big).error().message().find("more than the 1048576") != std::string::npos);
}

TEST_CASE("lb: JobId of an update") {
    CHECK(parse_job_id("UpdateListenerAttribute", R"({"JobId":"job-1","RequestId":"r"})").value() == "job-1");
    auto r = parse_job_id("UpdateListenerAttribute", R"({"RequestId":"r"})");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message() == "UpdateListenerAttribute: the answer does not have the documented shape");
    CHECK_FALSE((parse_job_id("UpdateListenerAttribute", R"({"JobId":""})")).has_value());
    // It is sent back and quoted in messages: 128 bytes at most.
    const std::string at(128, 'j');
    CHECK(parse_job_id("UpdateListenerAttribute", R"({"JobId":")" + at + R"("})").value() == at);
    CHECK_FALSE(parse_job_id("UpdateListenerAttribute", R"({"JobId":")" + at + R"(j"})").has_value());
}

TEST_CASE("lb: a hostile job or listener answer cannot put megabytes or newlines into a message") {
    const std::string huge(256 * 1024, 'x');  // twice, under max_answer_bytes
    auto f = parse_alb_jobs(R"({"Jobs":[{"Id":"job-1","Status":"Failed","ErrorCode":")" + huge +
                                R"(","ErrorMessage":"a\nFAKE LINE )" + huge + R"("}]})",
                            "job-1");
    REQUIRE(f.has_value());
    CHECK(f->error_code.size() == max_code_bytes);
    CHECK(f->error_message.size() == max_message_bytes);
    CHECK(f->error_message.starts_with("a FAKE LINE xxx"));
    const std::string status(128, 'S');
    CHECK(parse_listener(lb_product::alb, R"({"ListenerStatus":")" + status + R"("})").has_value());
    CHECK_FALSE(parse_listener(lb_product::alb, R"({"ListenerStatus":")" + status + R"(S"})").has_value());
}

TEST_CASE("lb: ALB ListAsynJobs → the status of our job") {
    const char* body = R"({"Jobs":[{"Id":"other","Status":"Failed"},{"Id":"job-1","Status":"Succeeded"}]})";
    CHECK(parse_alb_jobs(body, "job-1").value().status == job_status::succeeded);
    auto f = parse_alb_jobs(R"({"Jobs":[{"Id":"job-1","Status":"Failed","ErrorCode":"E1","ErrorMessage":"m"}]})", "job-1");
    REQUIRE(f.has_value());
    CHECK(f->status == job_status::failed);
    CHECK(f->error_code == "E1");
    CHECK(f->error_message == "m");
    CHECK(parse_alb_jobs(R"({"Jobs":[{"Id":"job-1","Status":"Processing"}]})", "job-1").value().status ==
          job_status::processing);
    CHECK(parse_alb_jobs(R"({"Jobs":[]})", "job-1").value().status == job_status::processing);  // not listed yet
    CHECK_FALSE((parse_alb_jobs(R"({"Jobs":{}})", "job-1")).has_value());
}

TEST_CASE("lb: NLB GetJobStatus → Succeeded / processing / Failed (any case)") {
    CHECK(parse_nlb_job(R"({"Status":"Succeeded"})").value().status == job_status::succeeded);
    CHECK(parse_nlb_job(R"({"Status":"processing"})").value().status == job_status::processing);
    CHECK(parse_nlb_job(R"({"Status":"FAILED"})").value().status == job_status::failed);
    CHECK_FALSE((parse_nlb_job(R"({})")).has_value());
    CHECK_FALSE((parse_nlb_job(R"({"Status":1})")).has_value());
}

TEST_CASE("lb: hints name the RAM action and ARN, the listener id and region") {
    CHECK(listener_hint(lb_product::alb, "Forbidden.RAM", "UpdateListenerAttribute", "lsn-1", "cn-hangzhou") ==
          "grant the RAM user or role alb:UpdateListenerAttribute on acs:alb:cn-hangzhou:*:loadbalancer/* "
          "(deploy/examples/alb-nlb-ram-policy.json)");
    CHECK(listener_hint(lb_product::nlb, "ResourceNotFound.listener", "GetListenerAttribute", "lsn-2@443", "cn-beijing") ==
          "check listener_id \"lsn-2@443\": no NLB listener with that id in region cn-beijing");
    CHECK(listener_hint(lb_product::alb, "ResourceNotFound.Certificate", "UpdateListenerAttribute", "l", "r")
              .find("cas_endpoint") != std::string::npos);
    CHECK(listener_hint(lb_product::alb, "Throttling", "GetListenerAttribute", "l", "r").empty());
}

TEST_CASE("lb: endpoints by product and region, override checked") {
    CHECK(resolve_lb_endpoint(lb_product::alb, "cn-hangzhou", "").url == "https://alb.cn-hangzhou.aliyuncs.com");
    CHECK(resolve_lb_endpoint(lb_product::nlb, "eu-central-1", "").url == "https://nlb.eu-central-1.aliyuncs.com");
    CHECK(resolve_lb_endpoint(lb_product::nlb, "cn-hangzhou", "http://127.0.0.1:81/").url == "http://127.0.0.1:81");
    CHECK_FALSE(resolve_lb_endpoint(lb_product::alb, "cn-hangzhou", "ftp://x").error.empty());
}
