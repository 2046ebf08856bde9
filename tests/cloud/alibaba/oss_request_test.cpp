#include "certman/cloud/alibaba/oss_request.hpp"

#include <doctest/doctest.h>

#include "certman/core/errc.hpp"

using namespace certman::cloud::alibaba;
using namespace std::chrono_literals;
using certman::errc;

TEST_CASE("parse_oss_endpoint and oss_url: virtual-hosted for OSS hosts, path style for loopback") {
    struct row {
        const char* endpoint;
        const char* key;
        param_list query;
        const char* url;
        const char* region;
    };
    const row rows[] = {
        {"oss-cn-hangzhou-internal.aliyuncs.com", "certman/certificates/a.json", {},
         "https://b-1.oss-cn-hangzhou-internal.aliyuncs.com/certman/certificates/a.json", "cn-hangzhou"},
        {"https://oss-eu-central-1.aliyuncs.com/", "x y+z", {},
         "https://b-1.oss-eu-central-1.aliyuncs.com/x%20y%2Bz", "eu-central-1"},
        {"http://127.0.0.1:9000", "a/b", {}, "http://127.0.0.1:9000/b-1/a/b", ""},
        {"http://localhost:9000", "", {{"list-type", "2"}, {"prefix", "p/q r"}, {"continuation-token", "p/a+"}},
         "http://localhost:9000/b-1/?list-type=2&prefix=p%2Fq%20r&continuation-token=p%2Fa%2B", ""},
        {"oss.example.com", "", {{"versioning", ""}}, "https://b-1.oss.example.com/?versioning", ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.endpoint);
        auto e = parse_oss_endpoint(r.endpoint);
        REQUIRE(e.has_value());
        CHECK(oss_url(*e, "b-1", r.key, r.query) == r.url);
        CHECK(region_from_endpoint(*e) == r.region);
    }
    for (const char* bad : {"", "ftp://oss.example.com", "https://", "https://h/path", "h?x", "u@h", "https://a b"}) {
        CAPTURE(bad);
        CHECK(parse_oss_endpoint(bad).error() == errc::config_error);
    }
}

TEST_CASE("classify_oss_failure: only 5xx, 429, no answer and transient codes are retried") {
    struct row {
        unsigned status;
        const char* code;
        oss_failure want;
        bool ambiguous;
    };
    const row rows[] = {
        {0, "", oss_failure::transient, true},
        {503, "", oss_failure::transient, true},
        {500, "InternalError", oss_failure::transient, true},
        {429, "", oss_failure::transient, false},
        {400, "RequestTimeout", oss_failure::transient, false},
        {403, "SignatureDoesNotMatch", oss_failure::final, false},
        {403, "AccessDenied", oss_failure::final, false},
        {404, "NoSuchBucket", oss_failure::final, false},
        {409, "FileAlreadyExists", oss_failure::final, false},
        {400, "NotImplemented", oss_failure::final, false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.status);
        CAPTURE(r.code);
        CHECK(classify_oss_failure(r.status, r.code) == r.want);
        CHECK(oss_failure_ambiguous(r.status) == r.ambiguous);
    }
}

TEST_CASE("oss_backoff doubles, caps, and spreads over [d/2, d)") {
    CHECK(oss_backoff(250ms, 4000ms, 1, 0.0) == 125ms);
    CHECK(oss_backoff(250ms, 4000ms, 1, 0.999).count() == 249);
    CHECK(oss_backoff(250ms, 4000ms, 2, 0.0) == 250ms);
    CHECK(oss_backoff(250ms, 4000ms, 3, 0.5) == 750ms);
    CHECK(oss_backoff(250ms, 4000ms, 10, 0.0) == 2000ms);
    CHECK(oss_backoff(250ms, 4000ms, 0, 0.0) == 125ms);
}

TEST_CASE("format_oss_error names operation, object, code, status and request id") {
    oss_error_body e{"AccessDenied", "You have no right to access this object.", "65A1B2"};
    CHECK(format_oss_error("PutObject", "certman/leases/www.json", 403, e) ==
          "PutObject certman/leases/www.json: AccessDenied (HTTP 403, RequestId 65A1B2): You have no right to "
          "access this object.");
    CHECK(format_oss_error("HeadObject", "k", 503, {}) == "HeadObject k: error (HTTP 503)");
}
