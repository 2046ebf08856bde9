// Alidns answers, zones, RRs and hints (reference alibaba-cas-alb-nlb-alidns.md §6).
#include <doctest/doctest.h>

#include <cstdint>

#include "certman/cloud/alibaba/alidns_model.hpp"
#include "certman/core/errc.hpp"

using namespace certman::cloud::alibaba;
using certman::errc;

TEST_CASE("alidns: DescribeSubDomainRecords answer") {
    const auto page = parse_alidns_records(
        R"({"TotalCount":2,"PageSize":20,"RequestId":"r","PageNumber":1,"DomainRecords":{"Record":[)"
        R"({"RecordId":"9999985","RR":"_acme-challenge.www","Type":"TXT","Value":"abc","TTL":600},)"
        R"({"RecordId":"9999986","RR":"_acme-challenge.www","Type":"TXT","Value":"def","TTL":600}]}})");
    REQUIRE(page.has_value());
    CHECK(page->total_count == 2);
    REQUIRE(page->records.size() == 2);
    CHECK(page->records[1].record_id == "9999986");
    CHECK(page->records[0].value == "abc");
    CHECK(parse_alidns_records(R"({"TotalCount":0,"DomainRecords":{"Record":[]}})")->records.empty());
    CHECK(parse_alidns_records(R"({"DomainRecords":{"Record":[{"RR":"x"}]}})").error() == errc::parse_error);
    CHECK(parse_alidns_records(R"({"DomainRecords":{"Record":{}}})").error() == errc::parse_error);
    CHECK(parse_alidns_records("<html>").error() == errc::parse_error);
}

TEST_CASE("alidns: DescribeDomains answer keeps PunyCode of IDN zones") {
    const auto page = parse_alidns_domains(
        R"({"TotalCount":2,"Domains":{"Domain":[{"DomainName":"example.test","PunyCode":"example.test"},)"
        R"({"DomainName":"例子.test","PunyCode":"xn--fsqu00a.test"}]}})");
    REQUIRE(page.has_value());
    CHECK(page->total_count == 2);
    CHECK(page->names == std::vector<std::string>{"example.test", "xn--fsqu00a.test", "例子.test"});
    CHECK(page->domains == std::vector<std::string>{"example.test", "例子.test"});  // one key per entry
    CHECK(parse_alidns_domains(R"({"Domains":{"Domain":[{"PunyCode":"x"}]}})").error() == errc::parse_error);
}

TEST_CASE("alidns: a TotalCount over INT64_MAX is refused, not wrapped to a negative count") {
    CHECK(parse_alidns_domains(R"({"TotalCount":9223372036854775807})")->total_count == INT64_MAX);
    CHECK(parse_alidns_domains(R"({"TotalCount":9223372036854775808})").error() == errc::parse_error);
    CHECK(parse_alidns_domains(R"({"TotalCount":18446744073709551615})").error() == errc::parse_error);
    CHECK(parse_alidns_records(R"({"TotalCount":-1})")->total_count == -1);  // page_guard refuses it, by name
}

TEST_CASE("alidns: AddDomainRecord answer") {
    CHECK(*parse_alidns_record_id(R"({"RequestId":"r","RecordId":"1234"})") == "1234");
    CHECK(parse_alidns_record_id(R"({"RequestId":"r"})").error() == errc::parse_error);
    CHECK(parse_alidns_record_id(R"({"RecordId":12})").error() == errc::parse_error);
}

TEST_CASE("alidns: zone_of picks the longest parent zone, case and trailing dot ignored") {
    const std::vector<std::string> zones{"example.test", "sub.example.test", "other.test", "ample.test"};
    CHECK(zone_of("_acme-challenge.www.example.test", zones) == "example.test");
    CHECK(zone_of("_acme-challenge.a.SUB.example.test.", zones) == "sub.example.test");
    CHECK(zone_of("example.test", zones) == "example.test");
    CHECK(zone_of("_acme-challenge.notexample.test", zones) == "");
    CHECK(zone_of("x.test", zones) == "");
}

TEST_CASE("alidns: relative_rr") {
    CHECK(*relative_rr("_acme-challenge.www.example.test", "example.test") == "_acme-challenge.www");
    CHECK(*relative_rr("_acme-challenge.example.test.", "Example.Test") == "_acme-challenge");
    CHECK(*relative_rr("example.test", "example.test") == "@");
    CHECK(relative_rr("_acme-challenge.badexample.test", "example.test").error() == errc::invalid_argument);
}

TEST_CASE("alidns: hints name the fix") {
    CHECK(alidns_hint("Forbidden.RAM", "AddDomainRecord", "example.test") ==
          "grant the RAM user or role alidns:AddDomainRecord on acs:alidns:*:*:domain/example.test "
          "(deploy/examples/alidns-ram-policy.json)");
    CHECK(alidns_hint("Forbidden.RAM", "DescribeDomains", "").find("alidns:DescribeDomains on *") !=
          std::string::npos);
    CHECK(alidns_hint("IncorrectDomainUser", "AddDomainRecord", "example.test").find("[challenge] zone") !=
          std::string::npos);
    CHECK(alidns_hint("SignatureDoesNotMatch", "AddDomainRecord", "z").find("access_key_secret_file") !=
          std::string::npos);
    CHECK(alidns_hint("IncorrectSignature", "AddDomainRecord", "z").find("access_key_secret_file") !=
          std::string::npos);
    CHECK(alidns_hint("Throttling.User", "AddDomainRecord", "z").empty());
}

TEST_CASE("alidns: endpoint") {
    CHECK(resolve_alidns_endpoint("").url == "https://alidns.aliyuncs.com");
    CHECK(resolve_alidns_endpoint("http://127.0.0.1:9000/").url == "http://127.0.0.1:9000");
    CHECK(!resolve_alidns_endpoint("http://alidns.aliyuncs.com").error.empty());
    CHECK(!resolve_alidns_endpoint("ftp://x").error.empty());
}
