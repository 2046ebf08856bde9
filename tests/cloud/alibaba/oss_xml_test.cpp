#include "certman/cloud/alibaba/oss_xml.hpp"

#include <doctest/doctest.h>

#include "certman/core/errc.hpp"

using namespace certman::cloud::alibaba;
using certman::errc;

TEST_CASE("xml_unescape: predefined entities and character references") {
    struct row {
        const char* in;
        const char* out;
    };
    const row rows[] = {
        {"plain", "plain"},         {"a&lt;b&gt;c", "a<b>c"},       {"&amp;amp;", "&amp;"},
        {"&quot;&apos;", "\"'"},    {"&#65;&#x42;", "AB"},          {"&#xe9;", "\xc3\xa9"},
        {"&#x20AC;", "\xe2\x82\xac"}, {"&#x1F600;", "\xf0\x9f\x98\x80"}, {"", ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(xml_unescape(r.in).value() == r.out);
    }
    for (const char* bad : {"&", "&lt", "&nbsp;", "&#;", "&#x;", "&#0;", "&#xD800;", "&#x110000;", "&#12a;"}) {
        CAPTURE(bad);
        CHECK(xml_unescape(bad).error() == errc::parse_error);
    }
}

TEST_CASE("xml_texts: exact element names, empty elements, refusals") {
    const std::string doc = "<R><Key>a</Key><KeyCount>2</KeyCount><Key/><Key>b&amp;c</Key></R>";
    CHECK(xml_texts(doc, "Key").value() == std::vector<std::string>{"a", "", "b&c"});
    CHECK(xml_texts(doc, "KeyCount").value() == std::vector<std::string>{"2"});
    CHECK(xml_texts(doc, "Missing").value().empty());
    CHECK(xml_text(doc, "Missing").error() == errc::not_found);
    CHECK(xml_text(doc, "Key").value() == "a");
    CHECK(xml_texts("<Key>unterminated", "Key").error() == errc::parse_error);
    CHECK(xml_texts("<Key><b>nested</b></Key>", "Key").error() == errc::parse_error);
    CHECK(xml_texts("<Key><![CDATA[x]]></Key>", "Key").error() == errc::parse_error);
}

TEST_CASE("parse_oss_error: the reference error body, and non-XML answers") {
    const std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>FileAlreadyExists</Code><Message>The object you "
        "specified already exists and can not be overwritten.</Message><RequestId>5C3D9175B6FC201293AD****</RequestId>"
        "<HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0026-00000001</EC></Error>";
    auto e = parse_oss_error(body);
    CHECK(e.code == "FileAlreadyExists");
    CHECK(e.request_id == "5C3D9175B6FC201293AD****");
    CHECK(e.message.starts_with("The object you specified"));
    for (const char* other : {"", "<html>503 Service Unavailable</html>", "<Error><Code>broken"}) {
        CAPTURE(other);
        auto x = parse_oss_error(other);
        CHECK(x.code.empty());
        CHECK(x.request_id.empty());
    }
}

TEST_CASE("parse_list_objects_v2: pages, keys, continuation") {
    const std::string page1 =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>b</Name><Prefix>p/</Prefix>"
        "<MaxKeys>2</MaxKeys><Delimiter></Delimiter><IsTruncated>true</IsTruncated><KeyCount>2</KeyCount>"
        "<NextContinuationToken>p/b</NextContinuationToken>"
        "<Contents><Key>p/a</Key><LastModified>2020-05-18T05:45:43.000Z</LastModified><ETag>\"A7\"</ETag>"
        "<Size>1</Size><StorageClass>Standard</StorageClass></Contents>"
        "<Contents><Key>p/b&amp;c</Key><Size>2</Size></Contents></ListBucketResult>";
    auto p = parse_list_objects_v2(page1);
    REQUIRE(p.has_value());
    CHECK(p->keys == std::vector<std::string>{"p/a", "p/b&c"});
    CHECK(p->truncated);
    CHECK(p->next_token == "p/b");

    auto last = parse_list_objects_v2("<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
                                      "</ListBucketResult>");
    REQUIRE(last.has_value());
    CHECK(last->keys.empty());
    CHECK_FALSE(last->truncated);

    for (const char* bad : {"<Error><Code>AccessDenied</Code></Error>",
                            "<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>",
                            "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                            "<ListBucketResult><Contents><Key>x</Contents></ListBucketResult>"}) {
        CAPTURE(bad);
        CHECK(parse_list_objects_v2(bad).error() == errc::parse_error);
    }
}

TEST_CASE("parse_bucket_versioning") {
    CHECK(parse_bucket_versioning("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>")
              .value() == "Enabled");
    CHECK(parse_bucket_versioning("<?xml version=\"1.0\"?>\n<VersioningConfiguration "
                                  "xmlns=\"http://doc.oss-cn-hangzhou.aliyuncs.com\"><Status>Suspended</Status>"
                                  "</VersioningConfiguration>").value() == "Suspended");
    CHECK(parse_bucket_versioning("<VersioningConfiguration/>").value().empty());
    CHECK(parse_bucket_versioning("<html/>").error() == errc::parse_error);
}
