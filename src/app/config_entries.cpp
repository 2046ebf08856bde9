// The [[certificate]] and [[deployer]] entries and the checks that span sections.
#include <cstring>
#include <set>
#include "certman/app/config_parser.hpp"
#include "certman/core/variant_kind.hpp"
#include "certman/deploy/child_environment.hpp"
#include "toml_reader.hpp"

namespace certman::app {
using detail::toml_reader;

bool config_valid_name(std::string_view s);
bool config_valid_domain(const std::string& s);
const std::initializer_list<std::string_view>& config_key_types();
void check_challenge(const config& cfg, const certificate_config& c, const std::string& where);
bool config_valid_dns_name(std::string_view s);

void read_certificate(const toml_reader& r, certificate_config& c) {
    r.reject_unknown({"name", "domains", "deploy", "key_type", "renew_before", "profile", "challenge"});
    r.require("name", "a short name like \"dev\" (lowercase letters, digits, '-', '_', '.')");
    r.read("name", c.name);
    if (!config_valid_name(c.name))
        r.fail("name", "expected lowercase letters, digits, '-', '_' or '.' (at most 64), got \"" + c.name + "\"");
    r.require("domains", "a list of DNS names like [\"www.example.org\"]");
    r.read("domains", c.domains);
    if (c.domains.empty()) r.fail("domains", "expected at least one DNS name");
    std::set<std::string> seen;
    for (const auto& d : c.domains) {
        // A wildcard needs dns-01 (RFC 8555 §7.1.3, §8.4): check_references checks the certificate's challenge.
        const bool wildcard = d.rfind("*.", 0) == 0;
        if (wildcard ? !config_valid_dns_name(std::string_view(d).substr(2)) : !config_valid_domain(d))
            r.fail("domains", "expected lowercase DNS names like \"www.example.org\" or IP addresses, got \"" + d + "\"");
        if (!seen.insert(d).second) r.fail("domains", "\"" + d + "\" is listed twice");
    }
    if (c.domains.size() > 100) r.fail("domains", "expected at most 100 names (the CA's limit)");
    r.read("deploy", c.deploy);
    r.read_choice("key_type", c.key_type, config_key_types());
    r.read("renew_before", c.renew_before);
    r.read("profile", c.profile);
    if (r.has("challenge")) r.read_choice("challenge", c.challenge, {"http-01", "dns-01"});
}

namespace {
void read_options(const toml_reader& r, deploy::slb_deployer_options& d) {
    r.reject_unknown({"name", "kind", "region", "load_balancer_name", "load_balancer_id", "listener_ports",
                      "access_key_id", "access_key_secret_file", "endpoint", "metadata_endpoint", "keep_previous"});
    r.require("region", "the SLB's region id, e.g. \"cn-hangzhou\"");
    r.read("region", d.region);
    r.read("load_balancer_name", d.load_balancer_name);
    r.read("load_balancer_id", d.load_balancer_id);
    if (d.load_balancer_name.empty() == d.load_balancer_id.empty())
        r.fail("load_balancer_id", "expected exactly one of load_balancer_name or load_balancer_id");
    r.read("listener_ports", d.listener_ports, 1, 65535);
    if (d.listener_ports.empty()) r.fail("listener_ports", "expected at least one HTTPS listener port");
    r.read("access_key_id", d.access_key_id);
    r.read("access_key_secret_file", d.access_key_secret_file);
    if (d.access_key_id.empty() != d.access_key_secret_file.empty())
        r.fail("access_key_id", "expected access_key_id and access_key_secret_file together (or neither, to "
                                "use the environment or the ECS RAM role)");
    r.read("endpoint", d.endpoint);
    r.read("metadata_endpoint", d.metadata_endpoint);
    r.read("keep_previous", d.keep_previous, 0, 100);
}

// alicloud-alb and alicloud-nlb share their keys (deploy/cas_listener_options.hpp).
void read_cas_listener(const toml_reader& r, deploy::cas_listener_options& d, std::string_view kind) {
    r.reject_unknown({"name", "kind", "region", "listener_id", "endpoint", "cas_endpoint", "access_key_id",
                      "access_key_secret_file", "metadata_endpoint", "cert_name_prefix", "keep_previous"});
    r.require("region", "the listener's region id, e.g. \"cn-hangzhou\"");
    r.read("region", d.region);
    r.require("listener_id", kind == "alicloud-nlb" ? "the NLB TCPSSL listener id, e.g. \"lsn-abc@443\""
                                                    : "the ALB HTTPS listener id, e.g. \"lsn-abc\"");
    r.read("listener_id", d.listener_id);
    r.read("endpoint", d.endpoint);
    r.read("cas_endpoint", d.cas_endpoint);
    r.read("access_key_id", d.access_key_id);
    r.read("access_key_secret_file", d.access_key_secret_file);
    r.read("metadata_endpoint", d.metadata_endpoint);
    r.read("cert_name_prefix", d.cert_name_prefix);
    r.read("keep_previous", d.keep_previous, 0, 100);
    if (auto bad = deploy::check_cas_listener_options(d, kind); !bad.empty()) {  // "<key>: why" or a sentence
        std::string key = bad.find("access_key_id") != std::string::npos ? "access_key_id" : "listener_id";
        for (const char* k : {"endpoint: ", "cas_endpoint: ", "cert_name_prefix: ", "keep_previous: "})
            if (bad.starts_with(k)) {
                key = std::string(k, std::strlen(k) - 2);
                bad.erase(0, std::strlen(k));
            }
        r.fail(key, bad);
    }
}

void read_options(const toml_reader& r, deploy::alb_deployer_options& d) {
    read_cas_listener(r, d, deploy::alb_deployer_options::kind);
}

void read_options(const toml_reader& r, deploy::nlb_deployer_options& d) {
    read_cas_listener(r, d, deploy::nlb_deployer_options::kind);
}

void read_options(const toml_reader& r, deploy::haproxy_deployer_options& d) {
    r.reject_unknown({"name", "kind", "socket", "crt_path", "timeout"});
    r.require("socket", "the HAProxy runtime API socket path (stats socket ... level admin)");
    r.read("socket", d.socket);
    r.require("crt_path", "the certificate file HAProxy loads (the name used in its 'crt' setting)");
    r.read("crt_path", d.crt_path);
    r.read("timeout", d.timeout);
}

// pass_environment = ["NAME", ...] and environment = ["NAME=value", ...] of a files deployer: what its reload
// command gets beyond the allowlist (deploy/child_environment.hpp).
void read_child_environment(const toml_reader& r, deploy::files_deployer_options& d) {
    r.read("pass_environment", d.pass_environment);
    r.read("environment", d.environment);
    for (const auto& n : d.pass_environment)
        if (!deploy::valid_variable_name(n))
            r.fail("pass_environment", "\"" + n + "\" is not a variable name (letters, digits, '_'; not starting with a digit)");
    for (const auto& e : d.environment) {
        auto eq = e.find('=');
        if (eq == std::string::npos || !deploy::valid_variable_name(std::string_view(e).substr(0, eq)))
            r.fail("environment", "\"" + e + "\" is not NAME=value with a valid variable name");
    }
    if ((!d.pass_environment.empty() || !d.environment.empty()) && d.reload_command.empty())
        r.fail(d.environment.empty() ? "pass_environment" : "environment", "is for the reload command; set reload_command too");
}

void read_options(const toml_reader& r, deploy::files_deployer_options& d) {
    r.reject_unknown({"name", "kind", "directory", "fullchain_name", "key_name", "cert_name", "chain_name", "owner",
                      "group", "reload_command", "timeout", "pass_environment", "environment"});
    r.require("directory", "the directory to write the PEM files to");
    r.read("directory", d.directory);
    r.read("fullchain_name", d.fullchain_name);
    r.read("key_name", d.key_name);
    r.read("cert_name", d.cert_name);
    r.read("chain_name", d.chain_name);
    for (const auto* n : {&d.fullchain_name, &d.key_name, &d.cert_name, &d.chain_name})
        if (n->empty() || n->find('/') != std::string::npos || *n == "." || *n == "..")
            r.fail("fullchain_name", "file names must be plain names without '/', got \"" + *n + "\"");
    r.read("owner", d.owner);
    r.read("group", d.group);
    r.read("reload_command", d.reload_command);
    r.read("timeout", d.timeout);
    read_child_environment(r, d);
}

std::string kind_list() {
    std::string out;
    for (auto k : kinds_of<deployer_options>()) out += (out.empty() ? "" : "|") + std::string(k);
    return out;
}
}  // namespace

// The kind picks the alternative; each alternative has its read_options overload (a new kind without one
// does not compile).
void read_deployer(const toml_reader& r, deployer_config& d) {
    r.require("name", "a short name that [[certificate]] deploy = [...] refers to");
    r.read("name", d.name);
    if (!config_valid_name(d.name))
        r.fail("name", "expected lowercase letters, digits, '-', '_' or '.', got \"" + d.name + "\"");
    r.require("kind", "one of " + kind_list());
    std::string kind;
    r.read_choice("kind", kind, kinds_of<deployer_options>());
    emplace_kind(d.options, kind);
    std::visit([&](auto& options) { read_options(r, options); }, d.options);
}

void check_references(const config& cfg, const toml::table& root) {
    auto line_of = [&](const char* array, std::size_t index) {
        const toml::node* n = root.get(array);
        if (n && n->is_array() && index < n->as_array()->size())
            return std::to_string((*n->as_array())[index].source().begin.line);
        return std::string("1");
    };
    std::set<std::string> names;
    for (std::size_t i = 0; i < cfg.deployers.size(); ++i)
        if (!names.insert(cfg.deployers[i].name).second)
            throw config_error{cfg.source + ":" + line_of("deployer", i) + ": [deployer \"" + cfg.deployers[i].name +
                               "\"] name: used twice; deployer names must be unique"};
    std::set<std::string> certs;
    for (std::size_t i = 0; i < cfg.certificates.size(); ++i) {
        const auto& c = cfg.certificates[i];
        const std::string where = cfg.source + ":" + line_of("certificate", i) + ": [certificate \"" + c.name + "\"] ";
        if (!certs.insert(c.name).second) throw config_error{where + "name: used twice; certificate names must be unique"};
        check_challenge(cfg, c, where);
        for (const auto& d : c.deploy) {
            const deployer_config* dep = cfg.find_deployer(d);
            if (!dep) throw config_error{where + "deploy: no [[deployer]] named \"" + d + "\""};
            if (std::holds_alternative<deploy::slb_deployer_options>(dep->options) && c.key_type.rfind("rsa", 0) != 0)
                throw config_error{where + "key_type: \"" + c.key_type + "\" cannot deploy to Alibaba SLB (\"" + d +
                                   "\"), which accepts RSA keys only; set key_type = \"rsa2048\""};
        }
    }
}

const deployer_config* config::find_deployer(std::string_view name) const {
    for (const auto& d : deployers)
        if (d.name == name) return &d;
    return nullptr;
}

const certificate_config* config::find_certificate(std::string_view name) const {
    for (const auto& c : certificates)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace certman::app
