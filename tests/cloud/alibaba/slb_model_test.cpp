// SLB answer parsing against JSON fixtures shaped like the documented answers (reference §2), and the endpoint choice.
#include "certman/cloud/alibaba/slb_model.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "certman/core/errc.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;

namespace {
std::string fixture(const std::string& name) {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/alibaba/slb/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("parse_load_balancers reads the wrapped LoadBalancer array") {
    auto lbs = parse_load_balancers(fixture("describe_load_balancers.json"));
    REQUIRE(lbs.has_value());
    REQUIRE(lbs->size() == 2);
    CHECK((*lbs)[0].id == "lb-bp1b6c719dfa08ex*****");
    CHECK((*lbs)[0].name == "certman-web");
    CHECK((*lbs)[0].status == "active");
    CHECK((*lbs)[1].id == "lb-2");
}

TEST_CASE("parse_https_listener reads port, status and certificate") {
    auto l = parse_https_listener(fixture("describe_https_listener.json"));
    REQUIRE(l.has_value());
    CHECK(l->port == 443);
    CHECK(l->status == "running");
    CHECK(l->server_certificate_id == "1231579085529123_15dbf6ff26f_1991415478_2054196746");
}

TEST_CASE("parse_server_certificates reads fingerprints, names and timestamps") {
    auto certs = parse_server_certificates(fixture("describe_server_certificates.json"));
    REQUIRE(certs.has_value());
    REQUIRE(certs->size() == 2);
    CHECK((*certs)[0].fingerprint == "68:08:1a:f8:2c:97:69:a3:a1:e6:16:41:4b:ca:4f:5d:ee:a5:ef:0d");
    CHECK((*certs)[0].common_name == "*.example1.com");
    CHECK((*certs)[0].expire_ms == 1558161264000);
    CHECK((*certs)[0].create_ms == 1541761156000);
    CHECK((*certs)[1].id == "1231579085529123_18cc6d1f000_1234567890_-123456789");
    CHECK((*certs)[1].name == "certman-www-20250401-0a1b2c3d");
    CHECK((*certs)[1].expire_ms == 1743465600000);  // sent as a string
}

TEST_CASE("parse_uploaded_certificate reads the top-level fields") {
    auto c = parse_uploaded_certificate(fixture("upload_server_certificate.json"));
    REQUIRE(c.has_value());
    CHECK(c->id == "1231579085529123_18cc6d1f000_1_2");
    CHECK(c->name == "certman-www-20250401-0a1b2c3d");
    CHECK(c->create_ms == 1735689600000);
}

TEST_CASE("empty or absent arrays are empty lists") {
    const char* bodies[] = {R"({"RequestId":"x"})", R"({"ServerCertificates":{}})",
                            R"({"ServerCertificates":{"ServerCertificate":[]}})",
                            R"({"ServerCertificates":null})"};
    for (const char* b : bodies) {
        CAPTURE(b);
        auto certs = parse_server_certificates(b);
        REQUIRE(certs.has_value());
        CHECK(certs->empty());
    }
}

TEST_CASE("malformed answers are parse errors") {
    struct row {
        const char* name;
        const char* body;
        int which;  // 0 lbs, 1 listener, 2 certificates, 3 upload
    };
    const row rows[] = {
        {"not JSON", "<html>", 2},
        {"array", "[]", 0},
        {"wrapper is a list", R"({"LoadBalancers":[]})", 0},
        {"item not an object", R"({"LoadBalancers":{"LoadBalancer":[1]}})", 0},
        {"id is a number", R"({"ServerCertificates":{"ServerCertificate":[{"ServerCertificateId":5}]}})", 2},
        {"certificate without id", R"({"ServerCertificates":{"ServerCertificate":[{"Fingerprint":"aa"}]}})", 2},
        {"listener without port", R"({"ServerCertificateId":"x"})", 1},
        {"listener port not a number", R"({"ListenerPort":"x443"})", 1},
        {"upload without id", R"({"Fingerprint":"aa"})", 3},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        boost::system::error_code ec;
        switch (r.which) {
            case 0: ec = parse_load_balancers(r.body).error().code(); break;
            case 1: ec = parse_https_listener(r.body).error().code(); break;
            case 2: ec = parse_server_certificates(r.body).error().code(); break;
            default: ec = parse_uploaded_certificate(r.body).error().code(); break;
        }
        CHECK(ec == make_error_code(errc::parse_error));
    }
}

TEST_CASE("resolve_slb_endpoint") {
    struct row {
        const char* region;
        const char* configured;
        const char* url;  // empty: an error is expected
    };
    const row rows[] = {
        {"cn-hangzhou", "", "https://slb.cn-hangzhou.aliyuncs.com"},
        {"eu-central-1", "", "https://slb.eu-central-1.aliyuncs.com"},
        {"", "", ""},
        {"cn hangzhou", "", ""},
        {"cn-hangzhou", "https://slb.aliyuncs.com/", "https://slb.aliyuncs.com"},
        {"cn-hangzhou", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
        {"cn-hangzhou", "http://localhost:8080/", "http://localhost:8080"},
        {"cn-hangzhou", "http://[::1]:8080", "http://[::1]:8080"},
        {"cn-hangzhou", "http://slb.cn-hangzhou.aliyuncs.com", ""},
        {"cn-hangzhou", "http://10.0.0.1:80", ""},
        {"cn-hangzhou", "ftp://127.0.0.1", ""},
        {"cn-hangzhou", "slb.aliyuncs.com", ""},
        {"cn-hangzhou", "https://slb.aliyuncs.com/?a=b", ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.region);
        CAPTURE(r.configured);
        auto e = resolve_slb_endpoint(r.region, r.configured);
        CHECK(e.url == r.url);
        CHECK(e.error.empty() == (std::string_view(r.url) != ""));
    }
}
