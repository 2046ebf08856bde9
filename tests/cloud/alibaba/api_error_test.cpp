#include <doctest/doctest.h>

#include "certman/cloud/alibaba/api_error.hpp"
#include "certman/cloud/alibaba/bounded_text.hpp"

using namespace certman::cloud::alibaba;

TEST_CASE("parse_api_error: the documented JSON envelope") {
    const auto e = parse_api_error(
        R"({"RequestId":"7463B73D-35CC-4D19-A010-6B8D65D242EF","HostId":"slb.aliyuncs.com",)"
        R"("Code":"Throttling.User","Message":"Request was denied due to user flow control.",)"
        R"("Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User"})",
        400);
    REQUIRE(e.has_value());
    CHECK(e->http_status == 400);
    CHECK(e->code == "Throttling.User");
    CHECK(e->message == "Request was denied due to user flow control.");
    CHECK(e->request_id == "7463B73D-35CC-4D19-A010-6B8D65D242EF");
    CHECK(e->host_id == "slb.aliyuncs.com");
}

TEST_CASE("parse_api_error: not an envelope is a parse_error") {
    const char* bodies[] = {"", "<html>502 Bad Gateway</html>", "[]", R"({"RequestId":"x"})", R"({"Code":7})",
                            R"({"Code":""})", "{\"Code\":\"A\""};
    for (const char* b : bodies) {
        CAPTURE(b);
        const auto e = parse_api_error(b, 502);
        REQUIRE(e.has_error());
        CHECK(e.error() == certman::errc::parse_error);
    }
}

TEST_CASE("parse_api_error: SignatureDoesNotMatch never keeps the server's string to sign") {
    const auto e = parse_api_error(
        R"({"RequestId":"r1","HostId":"slb.aliyuncs.com","Code":"SignatureDoesNotMatch",)"
        R"("Message":"Specified signature is not matched with our calculation. server string to sign is:)"
        R"(POST&%2F&AccessKeyId%3Dtestid%26PrivateKey%3D-----BEGIN"})",
        400);
    REQUIRE(e.has_value());
    CHECK(e->message == "Specified signature is not matched with our calculation.");
    const std::string text = format_api_error("UploadServerCertificate", *e);
    CHECK(text ==
          "UploadServerCertificate failed: SignatureDoesNotMatch (HTTP 400, RequestId r1): Specified signature is not "
          "matched with our calculation.");
    CHECK(text.find("PrivateKey") == std::string::npos);
}

TEST_CASE("sanitize_message and format_api_error") {
    CHECK(sanitize_message("plain message") == "plain message");
    CHECK(sanitize_message("x. Server String To Sign Is: GET&%2F") == "x.");
    CHECK(sanitize_message("string to sign: GET") == "");
    api_error e;
    e.http_status = 503;
    e.code = "ServiceUnavailable";
    CHECK(format_api_error("DescribeLoadBalancers", e) ==
          "DescribeLoadBalancers failed: ServiceUnavailable (HTTP 503, RequestId -)");
    e.message = "oops server string to sign is:GET&x";  // a caller-built api_error is sanitized too
    CHECK(format_api_error("A", e).ends_with("): oops"));
}

TEST_CASE("classify: reference §1.7 table and SLB busy codes") {
    struct row { const char* code; unsigned status; retry_class want; };
    const row rows[] = {
        {"SignatureDoesNotMatch", 400, retry_class::never},
        {"IncompleteSignature", 400, retry_class::never},
        {"InvalidAccessKeyId.NotFound", 404, retry_class::never},
        {"InvalidAccessKeyId.Inactive", 400, retry_class::never},
        {"InvalidTimeStamp.Expired", 400, retry_class::never},
        {"InvalidTimeStamp.Format", 400, retry_class::never},
        {"IllegalTimestamp", 400, retry_class::never},
        {"SignatureNonceUsed", 400, retry_class::fresh_nonce},
        {"MissingSecurityToken", 400, retry_class::refresh_credentials_once},
        {"InvalidSecurityToken.Expired", 400, retry_class::refresh_credentials_once},
        {"InvalidSecurityToken.Malformed", 400, retry_class::refresh_credentials_once},
        {"InvalidSecurityToken.MismatchWithAccessKey", 400, retry_class::refresh_credentials_once},
        {"Forbidden.RAM", 403, retry_class::never},
        {"Forbidden", 403, retry_class::never},
        {"MissingParameter", 400, retry_class::never},
        {"InvalidParameter", 400, retry_class::never},
        {"InvalidAction", 400, retry_class::never},
        {"Throttling", 400, retry_class::throttled},
        {"Throttling.User", 400, retry_class::throttled},
        {"Throttling.Api", 403, retry_class::throttled},
        {"Rejected.Throttling", 429, retry_class::throttled},
        {"ServiceUnavailable", 503, retry_class::transient_bounded},
        {"InternalError", 500, retry_class::transient_bounded},
        {"ServiceIsConfiguring", 400, retry_class::transient_bounded},
        {"OperationBusy", 400, retry_class::transient_bounded},
        {"SystemBusy", 449, retry_class::transient_bounded},
        {"ServiceIsStopping", 409, retry_class::transient_bounded},
        {"VServerGroupProcessing", 400, retry_class::transient_bounded},
        {"OperationFailed.ListenerStatusNotSupport", 400, retry_class::transient_bounded},
        {"IncorrectStatus.Listener", 400, retry_class::transient_bounded},    // ALB listener busy (§3.5)
        {"IncorrectStatus.listener", 400, retry_class::transient_bounded},    // NLB spelling (§4.1)
        {"ResourceInConfiguring.Listener", 400, retry_class::transient_bounded},
        {"IdempotenceProcessing", 400, retry_class::transient_bounded},
        {"ResourceNotFound.Listener", 404, retry_class::never},
        {"CertificateAndPrivateKeyIsRefered", 400, retry_class::never},
        {"CertificateNotMatchPrivateKey", 400, retry_class::never},
        {"InvalidLoadBalancerId.NotFound", 404, retry_class::never},
        {"SomethingNew", 502, retry_class::transient_bounded},  // unknown code, gateway failure
        {"", 502, retry_class::transient_bounded},              // HTML error page from a proxy
        {"", 503, retry_class::transient_bounded},
        {"", 429, retry_class::throttled},
        {"", 400, retry_class::never},
        {"", 404, retry_class::never},
    };
    for (const auto& r : rows) {
        CAPTURE(r.code);
        CAPTURE(r.status);
        CHECK(to_string(classify(r.code, r.status)) == to_string(r.want));
    }
}

TEST_CASE("bounded_text: control characters become spaces; over the limit, cut at a character boundary") {
    CHECK(bounded_text("ok", 300) == "ok");
    CHECK(bounded_text("a\nERROR forged line\r\x1b[31m\x7f", 300) == "a ERROR forged line  [31m ");
    const std::string at(300, 'a');
    CHECK(bounded_text(at, 300) == at);  // at the bound: kept whole
    CHECK(bounded_text(at + "b", 300) == std::string(297, 'a') + "...");
    // "é" (C3 A9) straddling byte 297: dropped whole, never half (the state file stays valid UTF-8).
    const std::string straddle = std::string(296, 'a') + "\xC3\xA9" + std::string(10, 'z');
    CHECK(bounded_text(straddle, 300) == std::string(296, 'a') + "...");
    const auto once = bounded_text(std::string(5000, 'x'), 300);
    CHECK(once.size() == 300);
    CHECK(bounded_text(once, 300) == once);  // idempotent
}

TEST_CASE("parse_api_error: a hostile envelope (1 MiB Message, newlines, a huge Code) is bounded") {
    const std::string huge(1024 * 1024, 'm');
    const auto e = parse_api_error(R"({"Code":")" + std::string(1000, 'C') + R"(","RequestId":")" +
                                       std::string(1000, 'r') + R"(","Message":"line1\nFAKE 2026 [error] )" + huge +
                                       R"("})",
                                   400);
    REQUIRE(e.has_value());
    CHECK(e->code == std::string(125, 'C') + "...");
    CHECK(e->request_id == std::string(125, 'r') + "...");
    CHECK(e->message.size() == max_message_bytes);
    CHECK(e->message.starts_with("line1 FAKE 2026 [error] mmm"));
    CHECK(e->message.ends_with("m..."));
    const auto text = format_api_error("DescribeDomains", *e);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.size() < 700);
}
