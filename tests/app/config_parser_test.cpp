#include <doctest/doctest.h>
#include "certman/app/config_parser.hpp"

using namespace certman::app;
namespace deploy = certman::deploy;
namespace storage = certman::storage;

namespace {
config ok(const std::string& text) {
    auto r = parse_config(text, "t.toml");
    if (auto* e = std::get_if<config_error>(&r)) FAIL("unexpected error: " << e->message);
    return std::get<config>(r);
}
std::string err(const std::string& text) {
    auto r = parse_config(text, "t.toml");
    REQUIRE(std::holds_alternative<config_error>(r));
    return std::get<config_error>(r).message;
}
}  // namespace

TEST_CASE("config: empty file gives the documented defaults") {
    auto c = ok("");
    CHECK(c.server.listen.to_string() == "0.0.0.0:8080");
    CHECK(c.admin.listen.to_string() == "127.0.0.1:9090");
    CHECK(c.log.level == "info");
    CHECK(c.log.format == "text");
    CHECK(c.acme.directory == "https://acme-v02.api.letsencrypt.org/directory");
    CHECK_FALSE(c.acme.agree_tos);
    REQUIRE(c.storage.local_directory() != nullptr);
    CHECK(c.storage.local_directory()->path == "/var/lib/certman");
    CHECK(c.storage.lease_ttl.count() == 120);
    CHECK(c.renewal.check_interval.count() == 3600);
    CHECK(c.renewal.max_concurrent_orders == 4);
    CHECK(c.certificates.empty());
}

TEST_CASE("config: the example configuration (deploy/examples/certman.toml) parses") {
    auto c = ok(R"(
[server]
listen = "0.0.0.0:8080"
[admin]
listen = "127.0.0.1:9090"
[log]
level = "info"
format = "text"
[acme]
directory = "https://acme-v02.api.letsencrypt.org/directory"
email = "ops@example.org"
[storage]
kind = "dir"
path = "/var/lib/certman"
[[certificate]]
name = "dev"
domains = ["dev.my-sample-domain.xyz"]
deploy = ["dev-slb"]
key_type = "rsa2048"
renew_before = "30d"
[[deployer]]
name = "dev-slb"
kind = "alicloud-slb"
region = "cn-hangzhou"
load_balancer_name = "web"
)");
    REQUIRE(c.certificates.size() == 1);
    CHECK(c.certificates[0].domains == std::vector<std::string>{"dev.my-sample-domain.xyz"});
    CHECK(c.certificates[0].renew_before->count() == 30 * 86400);
    REQUIRE(c.deployers.size() == 1);
    REQUIRE(std::holds_alternative<deploy::slb_deployer_options>(c.deployers[0].options));
    CHECK(std::get<deploy::slb_deployer_options>(c.deployers[0].options).listener_ports == std::vector<int>{443});
    CHECK(c.find_deployer("dev-slb") == &c.deployers[0]);
}

TEST_CASE("config: [server] implementation selects the public port's session") {
    CHECK(ok("").server.implementation == server_implementation::fast);
    CHECK(ok("[server]\nimplementation = \"fast\"\n").server.implementation == server_implementation::fast);
    CHECK(ok("[server]\nimplementation = \"reference\"\n").server.implementation == server_implementation::reference);
}

TEST_CASE("config: [storage] lease_ttl") {
    CHECK(ok("[storage]\nlease_ttl = \"30s\"\n").storage.lease_ttl.count() == 30);
    CHECK(ok("[storage]\nlease_ttl = \"1h\"\n").storage.lease_ttl.count() == 3600);
    CHECK(ok("[storage]\nlease_ttl = 3\n").storage.lease_ttl.count() == 3);
}

TEST_CASE("config: IPv6 listen addresses") {
    auto c = ok("[server]\nlisten = \"[::]:8080\"\n[admin]\nlisten = \"[::1]:9091\"\n");
    CHECK(c.server.listen.host == "::");
    CHECK(c.admin.listen.is_loopback());
}

TEST_CASE("config: each error names the file, the line, the key and what is expected") {
    struct row { const char* toml; const char* message; };
    const row rows[] = {
        {"[server]\nlisten = \"localhost:80\"\n",
         "t.toml:2: [server] listen: expected \"IPv4:port\" or \"[IPv6]:port\", got \"localhost:80\""},
        {"[server]\nlisten = 8080\n", "t.toml:2: [server] listen: expected \"IPv4:port\" or \"[IPv6]:port\", got an integer"},
        {"[server]\nlisen = \"0.0.0.0:1\"\n",
         "t.toml:2: [server] unknown key 'lisen'; expected one of: listen, max_connections, header_timeout, "
         "idle_timeout, max_header_bytes, max_body_bytes, implementation"},
        {"[server]\nimplementation = \"beast\"\n",
         "t.toml:2: [server] implementation: expected one of fast|reference, got \"beast\""},
        {"[log]\nlevel = \"loud\"\n", "t.toml:2: [log] level: expected one of trace|debug|info|warn|error, got \"loud\""},
        {"[admin]\nlisten = \"0.0.0.0:9090\"\n",
         "t.toml:2: [admin] listen: expected a loopback address (127.0.0.1 or [::1]) because metrics and status are "
         "private; set allow_remote = true to expose them on 0.0.0.0:9090"},
        {"[acme]\ndirectory = \"http://ca/dir\"\n",
         "t.toml:2: [acme] directory: expected an https:// URL of the CA's ACME directory, got \"http://ca/dir\""},
        {"[acme]\nagree_tos = \"yes\"\n", "t.toml:2: [acme] agree_tos: expected true or false, got a string"},
        {"[server]\nidle_timeout = \"soon\"\n",
         "t.toml:2: [server] idle_timeout: expected a duration such as \"90s\", \"15m\", \"12h\", \"30d\" or seconds, got \"soon\""},
        {"[server]\nmax_connections = 0\n",
         "t.toml:2: [server] max_connections: expected an integer from 1 to 1000000, got 0"},
        {"[storage]\npath = \"relative\"\n", "t.toml:2: [storage] path: expected an absolute directory path, got \"relative\""},
        {"[storage]\nlease_ttl = \"2s\"\n", "t.toml:2: [storage] lease_ttl: expected between 3s and 1h (default 2m), got 2s"},
        {"[storage]\nlease_ttl = \"2h\"\n", "t.toml:2: [storage] lease_ttl: expected between 3s and 1h (default 2m), got 7200s"},
        {"nonsense = 1\n", "t.toml:1: [top level] unknown key 'nonsense'; expected one of: server, admin, log, acme, "
                           "storage, renewal, challenge, certificate, deployer"},
        {"[[certificate]]\nname = \"a\"\ndomains = [\"*.example.org\"]\n",
         "t.toml:1: [certificate \"a\"] domains: \"*.example.org\" is a wildcard; wildcards need the dns-01 challenge: "
         "set challenge = \"dns-01\" here (or type = \"dns-01\" in [challenge]) with a [challenge] provider, or list "
         "each name instead"},
        {"[[certificate]]\nname = \"a\"\ndomains = [\"Bad_Name.org\"]\n",
         "t.toml:3: [certificate #1] domains: expected lowercase DNS names like \"www.example.org\" or IP addresses, "
         "got \"Bad_Name.org\""},
        {"[[certificate]]\ndomains = [\"a.example.org\"]\n",
         "t.toml:1: [certificate #1] name: missing; expected a short name like \"dev\" (lowercase letters, digits, '-', "
         "'_', '.')"},
        {"[[certificate]]\nname = \"a\"\ndomains = [\"a.example.org\"]\ndeploy = [\"nope\"]\n",
         "t.toml:1: [certificate \"a\"] deploy: no [[deployer]] named \"nope\""},
        {"[[certificate]]\nname = \"a\"\ndomains = [\"a.example.org\"]\ndeploy = [\"slb\"]\n"
         "[[deployer]]\nname = \"slb\"\nkind = \"alicloud-slb\"\nregion = \"cn-hangzhou\"\nload_balancer_id = \"lb-1\"\n",
         "t.toml:1: [certificate \"a\"] key_type: \"ec256\" cannot deploy to Alibaba SLB (\"slb\"), which accepts RSA "
         "keys only; set key_type = \"rsa2048\""},
        {"[[deployer]]\nname = \"x\"\nkind = \"ftp\"\n", "t.toml:3: [deployer #1] kind: expected one of alicloud-slb|haproxy|files|alicloud-alb|alicloud-nlb, got \"ftp\""},
        {"[[deployer]]\nname = \"h\"\nkind = \"haproxy\"\nsocket = \"/run/h.sock\"\nregion = \"x\"\n",
         "t.toml:5: [deployer #1] unknown key 'region'; expected one of: name, kind, socket, crt_path, timeout"},
        {"[acme]\neab_kid = \"kid\"\n", "t.toml:1: [acme] eab_hmac_key: expected eab_kid and eab_hmac_key together"},
        {"[server]\nlisten = \"0.0.0.0:8080\n", "t.toml:2: TOML syntax error: Error while parsing string: encountered end-of-line"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.toml);
        std::string m = err(r.toml);
        if (std::string(r.message).find("TOML syntax error") != std::string::npos) {
            CHECK(m.rfind("t.toml:2: TOML syntax error:", 0) == 0);
        } else {
            CHECK(m == r.message);
        }
    }
}

TEST_CASE("config: check-config output masks secrets") {
    auto c = ok("[acme]\neab_kid = \"kid-1\"\neab_hmac_key = \"c2VjcmV0LXZhbHVl\"\n");
    std::string text = render_config(c);
    CHECK(text.find("c2VjcmV0LXZhbHVl") == std::string::npos);
    CHECK(text.find("eab_hmac_key = \"***\"") != std::string::npos);
    CHECK(text.find("eab_kid = \"kid-1\"") != std::string::npos);
    // What we print parses back to the same configuration (secrets aside).
    auto again = parse_config(text, "again.toml");
    REQUIRE(std::holds_alternative<config>(again));
    CHECK(std::get<config>(again).acme.eab_kid == "kid-1");
}

TEST_CASE("config: a files deployer's reload environment (pass_environment, environment)") {
    const std::string head = "[[deployer]]\nname = \"f\"\nkind = \"files\"\ndirectory = \"/etc/x\"\n";
    auto c = ok(head + "reload_command = [\"true\"]\npass_environment = [\"RELOAD_MODE\"]\n"
                       "environment = [\"A=1\", \"B=\", \"C=x=y\"]\n");
    const auto& files = std::get<deploy::files_deployer_options>(c.deployers[0].options);
    CHECK(files.pass_environment == std::vector<std::string>{"RELOAD_MODE"});
    CHECK(files.environment == std::vector<std::string>{"A=1", "B=", "C=x=y"});
    struct row { std::string toml; const char* starts; };
    const row rows[] = {
        {head + "reload_command = [\"true\"]\npass_environment = [\"BAD-NAME\"]\n", "t.toml:6: [deployer #1] pass_environment: \"BAD-NAME\" is not a variable name"},
        {head + "reload_command = [\"true\"]\nenvironment = [\"NOVALUE\"]\n", "t.toml:6: [deployer #1] environment: \"NOVALUE\" is not NAME=value"},
        {head + "reload_command = [\"true\"]\nenvironment = [\"1X=a\"]\n", "t.toml:6: [deployer #1] environment: \"1X=a\" is not NAME=value"},
        {head + "environment = [\"A=1\"]\n", "t.toml:5: [deployer #1] environment: is for the reload command"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.toml);
        auto m = err(r.toml);
        CAPTURE(m);
        CHECK(m.rfind(r.starts, 0) == 0);
    }
}

TEST_CASE("config: each [[deployer]] kind fills its own options type") {
    auto c = ok(R"(
[[deployer]]
name = "slb"
kind = "alicloud-slb"
region = "cn-hangzhou"
load_balancer_id = "lb-1"
listener_ports = [443, 8443]
[[deployer]]
name = "lb"
kind = "haproxy"
socket = "/run/haproxy/admin.sock"
crt_path = "/etc/haproxy/site.pem"
timeout = "5s"
[[deployer]]
name = "web"
kind = "files"
directory = "/etc/nginx/certs"
reload_command = ["nginx", "-s", "reload"]
)");
    REQUIRE(c.deployers.size() == 3);
    const auto& slb = std::get<deploy::slb_deployer_options>(c.deployers[0].options);
    CHECK(slb.load_balancer_id == "lb-1");
    CHECK(slb.listener_ports == std::vector<int>{443, 8443});
    const auto& haproxy = std::get<deploy::haproxy_deployer_options>(c.deployers[1].options);
    CHECK(haproxy.crt_path == "/etc/haproxy/site.pem");
    CHECK(haproxy.timeout.count() == 5);
    const auto& files = std::get<deploy::files_deployer_options>(c.deployers[2].options);
    CHECK(files.directory == "/etc/nginx/certs");
    CHECK(files.key_name == "privkey.pem");
    CHECK(files.reload_command.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(c.deployers[i].kind() == std::vector<std::string>{"alicloud-slb", "haproxy", "files"}[i]);
    }
    CHECK(err("[[deployer]]\nname = \"x\"\nkind = \"nginx\"\n").find(
              "kind: expected one of alicloud-slb|haproxy|files|alicloud-alb|alicloud-nlb, got \"nginx\"") != std::string::npos);
    CHECK(err("[[deployer]]\nname = \"x\"\n").find("kind: missing; expected one of alicloud-slb|haproxy|files|alicloud-alb|alicloud-nlb") !=
          std::string::npos);
}

TEST_CASE("config: [storage] kind picks the backend's options type") {
    auto oss = ok("[storage]\nkind = \"oss\"\nbucket = \"certs\"\nregion = \"cn-hangzhou\"\nprefix = \"prod\"\n"
                  "server_side_encryption = true\npath = \"/ignored\"\n");
    CHECK(oss.storage.local_directory() == nullptr);
    const auto& o = std::get<storage::oss_storage_options>(oss.storage.backend);
    CHECK(o.bucket == "certs");
    CHECK(o.prefix == "prod");
    CHECK(o.server_side_encryption);
    auto dir = ok("[storage]\nkind = \"dir\"\npath = \"/srv/certman\"\nbucket = \"ignored\"\n");
    REQUIRE(dir.storage.local_directory() != nullptr);
    CHECK(dir.storage.local_directory()->path == "/srv/certman");
    CHECK(err("[storage]\nkind = \"s3\"\n").find("kind: expected one of dir|oss, got \"s3\"") != std::string::npos);
}

TEST_CASE("config: check-config renders every kind's options") {
    auto c = ok("[storage]\nkind = \"oss\"\nbucket = \"certs\"\nregion = \"cn-hangzhou\"\n"
                "[[deployer]]\nname = \"lb\"\nkind = \"haproxy\"\nsocket = \"/s\"\ncrt_path = \"/c.pem\"\n");
    const auto text = render_config(c);
    CHECK(text.find("[storage]\nkind = \"oss\"\nbucket = \"certs\"") != std::string::npos);
    CHECK(text.find("kind = \"haproxy\"\nsocket = \"/s\"\ncrt_path = \"/c.pem\"\ntimeout = \"30s\"") !=
          std::string::npos);
}

TEST_CASE("config: [admin] control_socket: default, disabled, bounds") {
    CHECK(ok("").admin.control_socket == "/run/certman/certman.sock");
    CHECK(ok("[admin]\ncontrol_socket = \"\"\n").admin.control_socket.empty());
    const std::string at_bound = "/" + std::string(106, 's');  // 107 bytes: sun_path holds 108 with the NUL
    CHECK(ok("[admin]\ncontrol_socket = \"" + at_bound + "\"\n").admin.control_socket == at_bound);
    CHECK(err("[admin]\ncontrol_socket = \"" + at_bound + "s\"\n").find("at most 107 bytes") != std::string::npos);
    CHECK(err("[admin]\ncontrol_socket = \"certman.sock\"\n") ==
          "t.toml:2: [admin] control_socket: expected an absolute path of at most 107 bytes (or \"\" for no control "
          "socket), got \"certman.sock\"");
}

TEST_CASE("config: [challenge] dns-01 with the alidns provider; wildcards only with dns-01") {
    const std::string provider = "[challenge]\nprovider = \"alidns\"\nzone = \"example.org\"\n"
                                 "access_key_id = \"LTAI\"\naccess_key_secret_file = \"/etc/certman/ak\"\n"
                                 "resolvers = [\"127.0.0.1:8053\"]\nttl = 1\n";
    auto c = ok(provider + "[[certificate]]\nname = \"w\"\ndomains = [\"*.example.org\", \"example.org\"]\n"
                           "challenge = \"dns-01\"\n[[certificate]]\nname = \"h\"\ndomains = [\"www.example.org\"]\n");
    REQUIRE(c.challenge.dns01.has_value());
    const auto& o = std::get<certman::challenge::dns01_alidns_options>(*c.challenge.dns01);
    CHECK(o.zone == "example.org");
    CHECK(o.ttl == 1);
    CHECK(o.propagation_timeout.count() == 120);
    CHECK(o.poll_interval.count() == 2);
    CHECK(o.resolvers == std::vector<std::string>{"127.0.0.1:8053"});
    CHECK(c.challenge_type(c.certificates[0]) == "dns-01");
    CHECK(c.challenge_type(c.certificates[1]) == "http-01");
    // [challenge] type = "dns-01" makes it every certificate's default.
    auto d = ok("[challenge]\ntype = \"dns-01\"\nprovider = \"alidns\"\n[[certificate]]\nname = \"w\"\n"
                "domains = [\"*.example.org\"]\n");
    CHECK(d.challenge_type(d.certificates[0]) == "dns-01");
    CHECK(render_config(d).find("[challenge]\ntype = \"dns-01\"\nprovider = \"alidns\"") != std::string::npos);

    CHECK(err("[challenge]\ntype = \"dns-01\"\n") ==
          "t.toml:1: [challenge] provider: missing; expected the DNS provider of dns-01: alidns");
    CHECK(err("[challenge]\nprovider = \"route53\"\n").find("provider: expected one of alidns") != std::string::npos);
    CHECK(err("[challenge]\nprovider = \"alidns\"\nttl = 0\n").find("ttl: expected an integer from 1 to 86400") !=
          std::string::npos);
    CHECK(err("[challenge]\nprovider = \"alidns\"\nttl = 86401\n").find("ttl") != std::string::npos);
    CHECK(err("[challenge]\nprovider = \"alidns\"\nresolvers = [\"ns1.example.org:53\"]\n").find("IP:port") !=
          std::string::npos);
    CHECK(err("[challenge]\nprovider = \"alidns\"\nendpoint = \"http://alidns.aliyuncs.com\"\n")
              .find("loopback") != std::string::npos);
    CHECK(err("[challenge]\nzone = \"example.org\"\n").find("set provider = \"alidns\" too") != std::string::npos);
    CHECK(err("[[certificate]]\nname = \"w\"\ndomains = [\"a.example.org\"]\nchallenge = \"dns-01\"\n")
              .find("dns-01 needs a DNS provider") != std::string::npos);
    CHECK(err(provider + "[[certificate]]\nname = \"w\"\ndomains = [\"*.example.org\"]\nchallenge = \"http-01\"\n")
              .find("is a wildcard; wildcards need the dns-01 challenge") != std::string::npos);
    CHECK(err(provider + "[[certificate]]\nname = \"w\"\ndomains = [\"192.0.2.1\"]\nchallenge = \"dns-01\"\n")
              .find("dns-01 cannot validate") != std::string::npos);
    CHECK(err(provider + "[[certificate]]\nname = \"w\"\ndomains = [\"*.*.example.org\"]\nchallenge = \"dns-01\"\n")
              .find("expected lowercase DNS names") != std::string::npos);
}
