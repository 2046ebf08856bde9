// ACS3-HMAC-SHA256 against the byte-exact vectors A-D of /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §1.3
// (AK testid/testsecret, x-acs-date 2025-01-01T00:00:00Z, nonce 3a7e5f0c-0000-4000-8000-000000000001).
#include <doctest/doctest.h>

#include "certman/cloud/alibaba/acs3_signature.hpp"

using namespace certman::cloud::alibaba;

namespace {

constexpr std::string_view date = "2025-01-01T00:00:00Z";
constexpr std::string_view nonce = "3a7e5f0c-0000-4000-8000-000000000001";
const credentials key{"testid", "testsecret", ""};

std::string header(const header_list& h, std::string_view name) {
    for (const auto& [n, v] : h)
        if (n == name) return v;
    return "<none>";
}

std::string sts_hash(const acs3_call& call, const param_list& query) {
    const auto h = acs3_signed_request_headers(call, query, key);
    return acs3_string_to_sign(acs3_canonical_request(call.method, query, h, call.body));
}

std::string signature_of(const header_list& h) {
    const auto auth = header(h, "Authorization");
    return auth.substr(auth.find("Signature=") + 10);
}

}  // namespace

TEST_CASE("acs3: vector A, Alidns AddDomainRecord (canonical request, string to sign, Authorization)") {
    const param_list query{{"DomainName", "example.com"},
                           {"RR", "_acme-challenge.www"},
                           {"Type", "TXT"},
                           {"Value", "XKrxpRBosdIKFzxW_CT3KLZNf6q0HG9i01zxXp5CPBs"},
                           {"TTL", "600"}};
    const acs3_call call{"POST", "alidns.aliyuncs.com", "AddDomainRecord", "2015-01-09", date, nonce, ""};
    const auto h = acs3_signed_request_headers(call, query, key);
    CHECK(acs3_canonical_request("POST", query, h, "") ==
          "POST\n/\n"
          "DomainName=example.com&RR=_acme-challenge.www&TTL=600&Type=TXT&"
          "Value=XKrxpRBosdIKFzxW_CT3KLZNf6q0HG9i01zxXp5CPBs\n"
          "host:alidns.aliyuncs.com\n"
          "x-acs-action:AddDomainRecord\n"
          "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-acs-date:2025-01-01T00:00:00Z\n"
          "x-acs-signature-nonce:3a7e5f0c-0000-4000-8000-000000000001\n"
          "x-acs-version:2015-01-09\n"
          "\n"
          "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sts_hash(call, query) ==
          "ACS3-HMAC-SHA256\n35c2bb3b431a06eaa5eb3520c58f425db3619b8977a8544852dac9c1aac4586d");
    CHECK(header(h, "Authorization") ==
          "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
          "x-acs-signature-nonce;x-acs-version,"
          "Signature=b61cc76b25660f912fb3dbfaa1fdaea2418a91cac7c0a50b50d3976ada4de866");
    CHECK(header(h, "content-type") == "<none>");
}

TEST_CASE("acs3: vector B, ALB UpdateListenerAttribute with a repeat list") {
    const param_list query{{"ListenerId", "lsn-test123"}, {"Certificates.1.CertificateId", "12345678-cn-hangzhou"}};
    const acs3_call call{"POST", "alb.cn-hangzhou.aliyuncs.com", "UpdateListenerAttribute", "2020-06-16", date, nonce,
                         ""};
    const auto h = acs3_signed_request_headers(call, query, key);
    const auto canonical = acs3_canonical_request("POST", query, h, "");
    CHECK(canonical.substr(0, canonical.find('\n', 7)) ==
          "POST\n/\nCertificates.1.CertificateId=12345678-cn-hangzhou&ListenerId=lsn-test123");
    CHECK(acs3_string_to_sign(canonical) ==
          "ACS3-HMAC-SHA256\nc9622f0647754f40dd2b61f4b9b34dc42f48824bd6c97d15eda748eb1a0255b2");
    CHECK(signature_of(h) == "f1ce92271ae872fffcd18cee65e5165ff09cfb3b05d5e367c04a4524fff57f0d");
}

TEST_CASE("acs3: vector C, CAS UploadUserCertificate value encoding") {
    const param_list query{{"Cert", "-----BEGIN CERTIFICATE-----\nMIIB+/=\n-----END CERTIFICATE-----\n"},
                           {"Key", "-----BEGIN PRIVATE KEY-----\nab*()!'~\n-----END PRIVATE KEY-----\n"},
                           {"Name", "certman_test 1"}};
    const acs3_call call{"POST", "cas.aliyuncs.com", "UploadUserCertificate", "2020-04-07", date, nonce, ""};
    const auto h = acs3_signed_request_headers(call, query, key);
    const auto canonical = acs3_canonical_request("POST", query, h, "");
    CHECK(canonical.substr(0, canonical.find('\n', 7)) ==
          "POST\n/\n"
          "Cert=-----BEGIN%20CERTIFICATE-----%0AMIIB%2B%2F%3D%0A-----END%20CERTIFICATE-----%0A&"
          "Key=-----BEGIN%20PRIVATE%20KEY-----%0Aab%2A%28%29%21%27~%0A-----END%20PRIVATE%20KEY-----%0A&"
          "Name=certman_test%201");
    CHECK(acs3_string_to_sign(canonical) ==
          "ACS3-HMAC-SHA256\n41418b876fe520f9ce6b1e77d9b494ad3e6349517d1932188cc016044e0eba53");
    CHECK(signature_of(h) == "f6a7baa2da42fc25156a2e3d94a1e85a074e96cf65383817c7784a85899bc557");
}

TEST_CASE("acs3: vector D, NLB parameters in a form body (empty canonical query, content-type signed)") {
    const std::string body = "CertificateIds.1=12345678-cn-hangzhou&ListenerId=lsn-abc%40443&RegionId=cn-hangzhou";
    const acs3_call call{"POST", "nlb.cn-hangzhou.aliyuncs.com", "UpdateListenerAttribute", "2022-04-30", date, nonce,
                         body};
    const auto h = acs3_signed_request_headers(call, {}, key);
    const auto canonical = acs3_canonical_request("POST", {}, h, body);
    CHECK(canonical ==
          "POST\n/\n\n"
          "content-type:application/x-www-form-urlencoded\n"
          "host:nlb.cn-hangzhou.aliyuncs.com\n"
          "x-acs-action:UpdateListenerAttribute\n"
          "x-acs-content-sha256:5aad5401ee142069e017bacdfc1ee201518925d372fa918e9f0c0b123e1bd793\n"
          "x-acs-date:2025-01-01T00:00:00Z\n"
          "x-acs-signature-nonce:3a7e5f0c-0000-4000-8000-000000000001\n"
          "x-acs-version:2022-04-30\n"
          "\n"
          "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
          "5aad5401ee142069e017bacdfc1ee201518925d372fa918e9f0c0b123e1bd793");
    CHECK(acs3_string_to_sign(canonical) ==
          "ACS3-HMAC-SHA256\n400ecec0ab590efb7bf4e4fa584f07b11c03ff1620653ae36e41d9ba1000d595");
    CHECK(signature_of(h) == "454f4aaba00361e348d6de1e44fc1a8960dc9c0936be58f095f3c67b4e98eb5f");
}

TEST_CASE("acs3: canonical headers lowercase, trim, join duplicates, skip unsigned names") {
    const header_list h{{"X-Acs-B", " two "}, {"Accept", "application/json"}, {"x-acs-b", "three"},
                        {"Host", "h"},        {"x-acs-a", "one"}};
    CHECK(acs3_signed_headers(h) == "host;x-acs-a;x-acs-b");
    CHECK(acs3_canonical_request("GET", {{"E", ""}}, h, "") ==
          "GET\n/\nE=\nhost:h\nx-acs-a:one\nx-acs-b:two,three\n\nhost;x-acs-a;x-acs-b\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("acs3: STS credentials sign the security token and the key id") {
    const credentials sts{"STS.id", "s", "tok"};
    const acs3_call call{"POST", "alidns.aliyuncs.com", "DeleteDomainRecord", "2015-01-09", date, nonce, ""};
    const auto h = acs3_signed_request_headers(call, {{"RecordId", "1"}}, sts);
    CHECK(header(h, "x-acs-security-token") == "tok");
    CHECK(header(h, "Authorization").find("x-acs-accesskey-id;x-acs-action") != std::string::npos);
    CHECK(header(h, "Authorization").find("x-acs-security-token;x-acs-signature-nonce") != std::string::npos);
}

TEST_CASE("acs3: vector D body bytes are the canonical form of the NLB parameters (what rpc_client::call_form sends)") {
    const param_list form{{"ListenerId", "lsn-abc@443"}, {"RegionId", "cn-hangzhou"},
                          {"CertificateIds.1", "12345678-cn-hangzhou"}};
    CHECK(canonical_query(form, empty_value::name_equals) ==
          "CertificateIds.1=12345678-cn-hangzhou&ListenerId=lsn-abc%40443&RegionId=cn-hangzhou");
}
