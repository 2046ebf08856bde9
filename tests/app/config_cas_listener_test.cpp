// [[deployer]] kind = "alicloud-alb" / "alicloud-nlb": keys, defaults, checks, rendering
// (app/config_entries.cpp read_cas_listener; deploy/cas_listener_options.hpp).
#include <doctest/doctest.h>

#include "certman/app/config_parser.hpp"
#include "certman/deploy/cas_listener_options.hpp"

using namespace certman::app;
namespace deploy = certman::deploy;

namespace {
std::variant<config, config_error> parse(const std::string& text) { return parse_config(text, "t.toml"); }
std::string err(const std::string& text) {
    auto r = parse(text);
    REQUIRE(std::holds_alternative<config_error>(r));
    return std::get<config_error>(r).message;
}
const std::string alb = "[[deployer]]\nname = \"a\"\nkind = \"alicloud-alb\"\nregion = \"cn-hangzhou\"\n";
}  // namespace

TEST_CASE("config: alicloud-alb and alicloud-nlb fill their options, with defaults") {
    auto r = parse(alb + "listener_id = \"lsn-1\"\n"
                   "[[deployer]]\nname = \"n\"\nkind = \"alicloud-nlb\"\nregion = \"cn-beijing\"\n"
                   "listener_id = \"lsn-2@443\"\nendpoint = \"http://127.0.0.1:9000\"\ncas_endpoint = "
                   "\"https://cas.ap-southeast-1.aliyuncs.com\"\naccess_key_id = \"LTAI\"\naccess_key_secret_file = "
                   "\"/etc/certman/ak\"\ncert_name_prefix = \"prod_web\"\n");
    REQUIRE(std::holds_alternative<config>(r));
    const auto& c = std::get<config>(r);
    REQUIRE(c.deployers.size() == 2);
    const auto& a = std::get<deploy::alb_deployer_options>(c.deployers[0].options);
    CHECK(a.listener_id == "lsn-1");
    CHECK(a.cert_name_prefix == "certman");
    CHECK(a.endpoint.empty());
    CHECK(a.keep_previous == 1);
    const auto& n = std::get<deploy::nlb_deployer_options>(c.deployers[1].options);
    CHECK(n.region == "cn-beijing");
    CHECK(n.listener_id == "lsn-2@443");
    CHECK(n.cas_endpoint == "https://cas.ap-southeast-1.aliyuncs.com");
    CHECK(n.cert_name_prefix == "prod_web");
    CHECK(c.deployers[1].kind() == "alicloud-nlb");
    const auto text = render_config(c);
    CHECK(text.find("listener_id = \"lsn-2@443\"") != std::string::npos);
    CHECK(text.find("cert_name_prefix = \"prod_web\"") != std::string::npos);
    CHECK(text.find("/etc/certman/ak") != std::string::npos);  // a path, not the secret
}

TEST_CASE("config: alicloud-alb/nlb errors name the key and what is expected") {
    CHECK(err(alb).find("listener_id: missing; expected the ALB HTTPS listener id") != std::string::npos);
    CHECK(err("[[deployer]]\nname = \"n\"\nkind = \"alicloud-nlb\"\nregion = \"r\"\n")
              .find("expected the NLB TCPSSL listener id, e.g. \"lsn-abc@443\"") != std::string::npos);
    CHECK(err("[[deployer]]\nname = \"a\"\nkind = \"alicloud-alb\"\nlistener_id = \"l\"\n").find("region: missing") !=
          std::string::npos);
    CHECK(err(alb + "listener_id = \"l\"\nendpoint = \"http://alb.example.com\"\n").find("endpoint: ") !=
          std::string::npos);
    CHECK(err(alb + "listener_id = \"l\"\ncas_endpoint = \"ftp://x\"\n").find("cas_endpoint: ") != std::string::npos);
    CHECK(err(alb + "listener_id = \"l\"\ncert_name_prefix = \"has-dash\"\n")
              .find("] cert_name_prefix: expected 1-16 letters, digits or '_', got \"has-dash\"") != std::string::npos);
    CHECK(err(alb + "listener_id = \"l\"\ncert_name_prefix = \"" + std::string(17, 'x') + "\"\n")
              .find("cert_name_prefix") != std::string::npos);
    CHECK(std::holds_alternative<config>(parse(alb + "listener_id = \"l\"\ncert_name_prefix = \"" + std::string(16, 'x') + "\"\n")));
    CHECK(err(alb + "listener_id = \"l\"\naccess_key_id = \"LTAI\"\n").find("access_key_id") != std::string::npos);
    CHECK(err(alb + "listener_id = \"l\"\nload_balancer_id = \"lb\"\n").find("load_balancer_id") != std::string::npos);
}

TEST_CASE("config: keep_previous of alicloud-alb/nlb: 0 to 100, rendered") {
    for (int n : {0, 2, 100}) {
        CAPTURE(n);
        auto r = parse(alb + "listener_id = \"l\"\nkeep_previous = " + std::to_string(n) + "\n");
        REQUIRE(std::holds_alternative<config>(r));
        const auto& c = std::get<config>(r);
        CHECK(std::get<deploy::alb_deployer_options>(c.deployers[0].options).keep_previous == n);
        CHECK(render_config(c).find("keep_previous = " + std::to_string(n) + "\n") != std::string::npos);
    }
    for (const char* bad : {"-1", "101"})
        CHECK(err(alb + "listener_id = \"l\"\nkeep_previous = " + bad + "\n")
                  .find("keep_previous: expected an integer from 0 to 100, got " + std::string(bad)) != std::string::npos);
    CHECK(err("[[deployer]]\nname = \"n\"\nkind = \"alicloud-nlb\"\nregion = \"r\"\nlistener_id = \"l@1\"\n"
              "keep_previous = \"1\"\n").find("keep_previous") != std::string::npos);
    deploy::cas_listener_options o;
    o.region = "cn-hangzhou";
    o.listener_id = "lsn-1";
    for (int n : {-1, 101}) {
        o.keep_previous = n;
        CHECK(deploy::check_cas_listener_options(o, "alicloud-alb") == "keep_previous: expected 0 to 100, got " + std::to_string(n));
    }
    o.keep_previous = 0;
    CHECK(deploy::check_cas_listener_options(o, "alicloud-alb").empty());
}

TEST_CASE("config: ALB and NLB certificates may use any key type (CAS takes RSA and ECDSA)") {
    CHECK(std::holds_alternative<config>(parse(alb + "listener_id = \"l\"\n[[certificate]]\nname = \"w\"\n"
                                               "domains = [\"www.example.org\"]\nkey_type = \"ec256\"\ndeploy = [\"a\"]\n")));
}
