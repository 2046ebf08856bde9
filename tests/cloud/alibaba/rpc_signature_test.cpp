#include <doctest/doctest.h>

#include "certman/cloud/alibaba/rpc_signature.hpp"

using namespace certman::cloud::alibaba;
using namespace std::chrono;

namespace {

// Vector A (help.aliyun.com document 130769), the official RPC signature example.
param_list vector_a(const char* timestamp_name) {
    return {{"AccessKeyId", "testid"},
            {"Action", "DescribeRegions"},
            {"Format", "XML"},
            {"SignatureMethod", "HMAC-SHA1"},
            {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
            {"SignatureVersion", "1.0"},
            {timestamp_name, "2016-02-23T12:46:24Z"},
            {"Version", "2014-05-26"}};
}

// Vector C (alibaba-cloud-sdk-go rpc_signature_composer_test.go): empty values and a space in a value.
param_list vector_c() {
    return {{"Version", ""},          {"Timestamp", "mock date"},     {"SignatureVersion", "1.0"},
            {"SignatureType", ""},    {"SignatureNonce", "MOCK_UUID"}, {"SignatureMethod", "HMAC-SHA1"},
            {"RegionId", "regionId"}, {"Format", "JSON"},             {"Action", ""},
            {"AccessKeyId", "accessKeyId"}};
}

const char* const cert_pem = "-----BEGIN CERTIFICATE-----\nAB+/=\n-----END CERTIFICATE-----";
constexpr sys_seconds vector_time = sys_days{2016y / 2 / 23} + 12h + 46min + 24s;

}  // namespace

TEST_CASE("rpc_signature: vector A, official docs") {
    const auto params = vector_a("Timestamp");
    CHECK(string_to_sign("GET", params) ==
          "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26"
          "SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12"
          "%253A46%253A24Z%26Version%3D2014-05-26");
    CHECK(rpc_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

TEST_CASE("rpc_signature: vector B, 'TimeStamp' is a different parameter (names are not case-folded)") {
    const auto params = vector_a("TimeStamp");
    CHECK(rpc_signature("GET", params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
    CHECK(rpc_signature("GET", params, "testsecret") != rpc_signature("GET", vector_a("Timestamp"), "testsecret"));
}

TEST_CASE("rpc_signature: vector C, Go SDK, with and without STS, GET and POST") {
    struct row { const char* method; bool sts; const char* sig; };
    const row rows[] = {
        {"GET", false, "7loPmFjvDnzOVnQeQNj85S6nFGY="},
        {"GET", true, "5Nxdcler+ihqWqv0Hr2On4PsBf4="},
        {"POST", false, "4CIK2DFr6jyKrv8SD31/SyTKEa4="},
        {"POST", true, "CTPJv7GCZobJvYYttHLDwgzRd18="},
    };
    for (const auto& r : rows) {
        CAPTURE(r.method);
        CAPTURE(r.sts);
        auto params = vector_c();
        if (r.sts) params.emplace_back("SecurityToken", "accessKeyStsToken");
        CHECK(rpc_signature(r.method, params, "accessKeySecret") == r.sig);
    }
    CHECK(canonicalized_query(vector_c()).find("Timestamp=mock%20date") != std::string::npos);
    CHECK(string_to_sign("GET", vector_c()).find("Timestamp%3Dmock%2520date") != std::string::npos);
    CHECK(string_to_sign("GET", vector_c()).find("%26Action%3D%26") != std::string::npos);
}

TEST_CASE("rpc_signature: vector D, C++ SDK HMAC unit test") {
    const param_list params = {{"AccessKeyId", "testid"},      {"Action", "DescribeRegions"},
                               {"Format", "XML"},              {"RegionId", "region1"},
                               {"SignatureMethod", "HMAC-SHA1"}, {"SignatureNonce", "NwDAxvLU6tFE0DVb"},
                               {"SignatureVersion", "1.0"},    {"TimeStamp", "2012-12-26T10:33:56Z"},
                               {"Version", "2013-01-10"}};
    CHECK(string_to_sign("GET", params) ==
          "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26RegionId%3Dregion1%26"
          "SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DNwDAxvLU6tFE0DVb%26SignatureVersion%3D1.0%26TimeStamp%3D"
          "2012-12-26T10%253A33%253A56Z%26Version%3D2013-01-10");
    CHECK(rpc_signature("GET", params, "testsecret") == "axE3FUHgDyfm9/+Iep0HpZXrRwE=");
}

TEST_CASE("rpc_signature: a Signature parameter is never signed") {
    auto params = vector_a("Timestamp");
    params.emplace_back("Signature", "whatever");
    CHECK(rpc_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

TEST_CASE("format_timestamp: YYYY-MM-DDThh:mm:ssZ") {
    CHECK(format_timestamp(vector_time) == "2016-02-23T12:46:24Z");
    CHECK(format_timestamp(sys_seconds{}) == "1970-01-01T00:00:00Z");
    CHECK(format_timestamp(sys_days{2099y / 12 / 31} + 23h + 59min + 59s) == "2099-12-31T23:59:59Z");
}

TEST_CASE("signed_params: vector E GET DescribeServerCertificates through the common-parameter builder") {
    const credentials key{"testid", "testsecret", ""};
    const rpc_call_context ctx{"2014-05-15", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", vector_time};
    const auto params =
        signed_params("GET", {{"Action", "DescribeServerCertificates"}, {"RegionId", "cn-hangzhou"}}, key, ctx);
    REQUIRE(!params.empty());
    CHECK(params.back() == param{"Signature", "Z97yvuDsF6Jf2U3989WPnh6D6Dc="});
    CHECK(form_encode(params) ==
          "AccessKeyId=testid&Action=DescribeServerCertificates&Format=JSON&RegionId=cn-hangzhou&"
          "SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&"
          "Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-15&Signature=Z97yvuDsF6Jf2U3989WPnh6D6Dc%3D");
}

TEST_CASE("signed_form_body: vector E POST UploadServerCertificate with STS, '*', '~', UTF-8, newlines") {
    const credentials key{"testid", "testsecret", "tok/en+1="};
    const rpc_call_context ctx{"2014-05-15", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", vector_time};
    const param_list action = {{"Action", "UploadServerCertificate"},
                               {"RegionId", "cn-hangzhou"},
                               {"ServerCertificateName", "my cert*~\xc3\xa9"},
                               {"ServerCertificate", cert_pem},
                               {"Format", "XML"}};  // overridden: the builder always asks for JSON
    const std::string body = signed_form_body(action, key, ctx);
    CHECK(body.ends_with("&Signature=Bvjvf%2FNHZjtVf3mS3lNvjm9POyw%3D"));
    CHECK(body.find("SecurityToken=tok%2Fen%2B1%3D&") != std::string::npos);
    CHECK(body.find("ServerCertificateName=my%20cert%2A~%C3%A9&") != std::string::npos);
    CHECK(body.find("ServerCertificate=-----BEGIN%20CERTIFICATE-----%0AAB%2B%2F%3D%0A") != std::string::npos);
    CHECK(body.find("Format=JSON&") != std::string::npos);
    CHECK(body.find("Format=XML") == std::string::npos);
}

TEST_CASE("signed_params: no SecurityToken for a plain key; nonce and time change the signature") {
    const credentials key{"testid", "testsecret", ""};
    const param_list action = {{"Action", "DescribeLoadBalancers"}, {"RegionId", "cn-hangzhou"}};
    const auto a = signed_params("POST", action, key, {"2014-05-15", "n1", vector_time});
    const auto b = signed_params("POST", action, key, {"2014-05-15", "n2", vector_time});
    const auto c = signed_params("POST", action, key, {"2014-05-15", "n1", vector_time + 1s});
    for (const auto& p : a) CHECK(p.first != "SecurityToken");
    CHECK(a.back().second != b.back().second);
    CHECK(a.back().second != c.back().second);
    CHECK(signed_params("POST", action, key, {"2014-05-15", "n1", vector_time}) == a);
}
