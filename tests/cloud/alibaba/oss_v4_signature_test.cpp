#include <doctest/doctest.h>

#include "certman/cloud/alibaba/oss_v4_signature.hpp"

using namespace certman::cloud::alibaba;
using namespace std::chrono;

namespace {

// The OSS SDKs' SignerV4 test request (aliyun-oss-cpp-sdk SignerTest.cc, alibabacloud-oss-go-sdk-v2
// TestV4AuthHeader*), reference §4.3.
oss_v4_request vector_request() {
    oss_v4_request r;
    r.method = "PUT";
    r.bucket = "bucket";
    r.key = "1234+-/123/1.txt";
    r.query = {{"param1", "value1"}, {"+param1", "value3"}, {"|param1", "value4"},
               {"+param2", ""},      {"|param2", ""},       {"param2", ""}};
    r.headers = {{"x-oss-head1", "value"}, {"abc", "value"},  {"ZAbc", "value"},
                 {"XYZ", "value"},         {"content-type", "text/plain"},
                 {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}};
    return r;
}

const credentials ak_sk{"ak", "sk", ""};

std::string header(const oss_v4_request& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return "<absent>";
}

}  // namespace

TEST_CASE("oss_v4: canonical request and string to sign of the SDK vector") {
    const sys_seconds t{seconds{1702743657}};
    auto r = vector_request();
    r.headers.emplace_back("x-oss-date", oss_v4_datetime(t));
    const std::string cr = oss_v4_canonical_request(r);
    CHECK(cr ==
          "PUT\n"
          "/bucket/1234%2B-/123/1.txt\n"
          "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n"
          "content-type:text/plain\n"
          "x-oss-content-sha256:UNSIGNED-PAYLOAD\n"
          "x-oss-date:20231216T162057Z\n"
          "x-oss-head1:value\n"
          "\n"
          "\n"
          "UNSIGNED-PAYLOAD");
    CHECK(oss_v4_string_to_sign(cr, "20231216T162057Z", "cn-hangzhou") ==
          "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n"
          "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4");
}

TEST_CASE("oss_v4: Authorization header vectors (plain, STS, AdditionalHeaders)") {
    struct row {
        const char* name;
        std::int64_t t;
        credentials key;
        std::vector<std::string> additional;
        const char* authorization;
    };
    const row rows[] = {
        {"plain", 1702743657, ak_sk, {},
         "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
         "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"},
        {"sts", 1702784856, credentials{"ak", "sk", "token"}, {},
         "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,"
         "Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"},
        {"additional", 1702747512, ak_sk, {"ZAbc", "abc"},
         "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,"
         "Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"},
        // Default-signed and absent names are dropped from the list: same result as above.
        {"additional, filtered", 1702747512, ak_sk, {"x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"},
         "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,"
         "Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        auto req = vector_request();
        req.additional_headers = r.additional;
        oss_v4_sign(req, r.key, "cn-hangzhou", sys_seconds{seconds{r.t}});
        CHECK(header(req, "Authorization") == r.authorization);
        CHECK(header(req, "x-oss-date") == oss_v4_datetime(sys_seconds{seconds{r.t}}));
        CHECK(header(req, "x-oss-security-token") == (r.key.is_sts() ? "token" : "<absent>"));
    }
}

TEST_CASE("oss_v4: signing twice replaces, never duplicates, the headers it owns") {
    auto req = vector_request();
    oss_v4_sign(req, ak_sk, "cn-hangzhou", sys_seconds{seconds{1702743657}});
    oss_v4_sign(req, ak_sk, "cn-hangzhou", sys_seconds{seconds{1702743657}});
    int auth = 0, date = 0;
    for (const auto& [k, v] : req.headers) {
        auth += k == "Authorization";
        date += k == "x-oss-date";
    }
    CHECK(auth == 1);
    CHECK(date == 1);
    CHECK(header(req, "Authorization").ends_with("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"));
}

TEST_CASE("oss_v4: defaults and URIs") {
    oss_v4_request r;
    r.method = "GET";
    r.bucket = "b";
    r.query = {{"list-type", "2"}, {"prefix", "certs/a b"}};
    CHECK(oss_v4_canonical_request(r) == "GET\n/b/\nlist-type=2&prefix=certs%2Fa%20b\n\n\nUNSIGNED-PAYLOAD");
    r.bucket.clear();
    CHECK(oss_v4_canonical_request(r).starts_with("GET\n/\n"));
    CHECK(oss_v4_datetime(sys_seconds{}) == "19700101T000000Z");
    CHECK(oss_v4_signing_key("sk", "20231216", "cn-hangzhou").size() == 32);
}
