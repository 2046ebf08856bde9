// CAS answers, identifiers, endpoints and hints (reference alibaba-cas-alb-nlb-alidns.md §2, §1.7, §7).
#include <doctest/doctest.h>

#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/core/errc.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;

TEST_CASE("cas: UploadUserCertificate answer → CertId (number or numeric string)") {
    CHECK(parse_cas_upload(R"({"RequestId":"r","CertId":12345,"ResourceId":"cas-upload-j2ofdb"})").value() == 12345);
    CHECK(parse_cas_upload(R"({"CertId":"77"})").value() == 77);
    for (const char* bad : {R"({})", R"({"CertId":0})", R"({"CertId":-3})", R"({"CertId":true})", R"({"CertId":"x"})",
                            "[]", "not json", ""}) {
        CAPTURE(bad);
        auto r = parse_cas_upload(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == errc::parse_error);
        CHECK(r.error().message() == "UploadUserCertificate: the answer does not have the documented shape");
    }
}

TEST_CASE("cas: an answer over 1 MiB is refused before parsing, one byte less is read") {
    std::string big = R"({"CertId":5,"Pad":")";
    big += std::string(max_answer_bytes - big.size() - 2, 'a') + "\"}";
    REQUIRE(big.size() == max_answer_bytes);
    CHECK(parse_cas_upload(big).value() == 5);
    big.insert(big.size() - 2, "a");
    auto r = parse_cas_upload(big);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message() == "UploadUserCertificate: the answer has 1048577 bytes, more than the 1048576 certman reads");
}

TEST_CASE("cas: GetUserCertificateDetail answer → id, name, Sha2, serial, CertIdentifier") {
    auto d = parse_cas_detail(R"({"Id":123,"Name":"certman_www_20250401_0a","Sha2":"AB01","SerialNo":"00a1",)"
                              R"("CertIdentifier":"123-cn-hangzhou","Fingerprint":"X","Expired":false})");
    REQUIRE(d.has_value());
    CHECK(d->id == 123);
    CHECK(d->name == "certman_www_20250401_0a");
    CHECK(d->sha2 == "AB01");
    CHECK(d->serial_no == "00a1");
    CHECK(d->identifier == "123-cn-hangzhou");
    CHECK_FALSE((parse_cas_detail(R"({"Name":"x"})")).has_value());
    CHECK_FALSE((parse_cas_detail(R"({"Id":1,"CertIdentifier":5})")).has_value());
}

TEST_CASE("cas: ListUserCertificateOrder answer → certificates; malformed entries refuse the page") {
    auto p = parse_cas_certificate_list(
        R"({"TotalCount":2,"ShowSize":50,"CertificateOrderList":[{"CertificateId":1,"Name":"a","Sha2":"s1"},)"
        R"({"CertificateId":2,"Name":"b","SerialNo":"0f"}]})");
    REQUIRE(p.has_value());
    CHECK(p->total_count == 2);
    REQUIRE(p->certificates.size() == 2);
    CHECK(p->certificates[0].sha2 == "s1");
    CHECK(p->certificates[1].serial_no == "0f");
    CHECK(parse_cas_certificate_list(R"({"TotalCount":0})").value().certificates.empty());
    CHECK(parse_cas_certificate_list(R"({"CertificateOrderList":null})").value().certificates.empty());
    for (const char* bad : {R"({"CertificateOrderList":{}})", R"({"CertificateOrderList":[1]})",
                            R"({"CertificateOrderList":[{"Name":"no id"}]})", R"({"TotalCount":"many"})"}) {
        CAPTURE(bad);
        CHECK_FALSE((parse_cas_certificate_list(bad)).has_value());
    }
}

TEST_CASE("cas: CertIdentifier and the CAS id inside a listener's certificate id") {
    CHECK(cas_certificate_identifier(12345678, "cn-hangzhou") == "12345678-cn-hangzhou");
    CHECK(cas_id_of("12345678-cn-hangzhou", "cn-hangzhou") == 12345678);
    CHECK(cas_id_of("12345678", "cn-hangzhou") == 12345678);
    CHECK(cas_id_of("12345678-cn-shanghai", "cn-hangzhou") == 0);
    CHECK(cas_id_of("cert-123", "cn-hangzhou") == 0);
    CHECK(cas_id_of("", "cn-hangzhou") == 0);
    CHECK(cas_id_of("-cn-hangzhou", "cn-hangzhou") == 0);
    CHECK(cas_id_of("0-cn-hangzhou", "cn-hangzhou") == 0);
}

TEST_CASE("cas: endpoint by region, override checked") {
    CHECK(resolve_cas_endpoint("cn-hangzhou", "").url == "https://cas.aliyuncs.com");
    CHECK(resolve_cas_endpoint("cn-shanghai", "").url == "https://cas.aliyuncs.com");
    CHECK(resolve_cas_endpoint("us-east-1", "").url == "https://cas.aliyuncs.com");
    CHECK(resolve_cas_endpoint("ap-southeast-1", "").url == "https://cas.ap-southeast-1.aliyuncs.com");
    CHECK(resolve_cas_endpoint("cn-hangzhou", "http://127.0.0.1:9000/").url == "http://127.0.0.1:9000");
    CHECK_FALSE(resolve_cas_endpoint("cn-hangzhou", "http://cas.example.com").error.empty());
}

TEST_CASE("cas: hints name the RAM action, the key, or the certificate") {
    CHECK(cas_hint("Forbidden.RAM", "UploadUserCertificate") ==
          "grant the RAM user or role yundun-cert:UploadUserCertificate on * (deploy/examples/alb-nlb-ram-policy.json)");
    CHECK(cas_hint("NoPermission", "ListUserCertificateOrder").find("yundun-cert:ListUserCertificateOrder") !=
          std::string::npos);
    CHECK(cas_hint("SignatureDoesNotMatch", "GetUserCertificateDetail").find("access_key_secret_file") !=
          std::string::npos);
    CHECK(cas_hint("InvalidAccessKeyId.NotFound", "X").find("access_key_id") != std::string::npos);
    CHECK(cas_hint("SomethingElse", "UploadUserCertificate").find("cert_name_prefix") != std::string::npos);
    CHECK(cas_hint("Throttling.User", "UploadUserCertificate").empty());
    CHECK(cas_hint("SomethingElse", "GetUserCertificateDetail").empty());
}
