#include "certman/app/config_parser.hpp"
#include <fstream>
#include <set>
#include <sstream>
#include "certman/core/variant_kind.hpp"
#include "toml_reader.hpp"

namespace certman::app {
using detail::toml_reader;

namespace {
const std::initializer_list<std::string_view> key_types = {"ec256", "ec384", "rsa2048", "rsa3072", "rsa4096"};

bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
    return s.front() != '.' && s.front() != '-';
}

bool valid_dns_name(std::string_view s) {
    if (s.empty() || s.size() > 253 || s.find('.') == std::string_view::npos) return false;
    std::size_t label = 0;
    char prev = '.';
    for (char c : s) {
        if (c == '.') {
            if (label == 0 || prev == '-') return false;
            label = 0;
        } else {
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok || (label == 0 && c == '-') || ++label > 63) return false;
        }
        prev = c;
    }
    return label > 0 && prev != '-';
}

bool is_ip_literal(const std::string& s) {
    return net::parse_endpoint(s + ":1").has_value() || net::parse_endpoint("[" + s + "]:1").has_value();
}

const toml::table& section(const toml::table& root, std::string_view name, const std::string& source) {
    static const toml::table empty;
    const toml::node* n = root.get(name);
    if (!n) return empty;
    if (!n->is_table())
        throw config_error{source + ":" + std::to_string(n->source().begin.line) + ": [" + std::string(name) +
                           "] expected a table, got " + detail::type_name(*n)};
    return *n->as_table();
}

void read_server(const toml_reader& r, server_config& s) {
    r.reject_unknown({"listen", "max_connections", "header_timeout", "idle_timeout", "max_header_bytes", "max_body_bytes",
                      "implementation"});
    r.read("listen", s.listen);
    r.read("max_connections", s.max_connections, 1, 1'000'000);
    r.read("header_timeout", s.header_timeout);
    r.read("idle_timeout", s.idle_timeout);
    r.read("max_header_bytes", s.max_header_bytes, 1024, 1 << 20);
    r.read("max_body_bytes", s.max_body_bytes, 0, 1 << 24);
    if (s.header_timeout.count() == 0) r.fail("header_timeout", "must be more than 0s");
    if (s.idle_timeout.count() == 0) r.fail("idle_timeout", "must be more than 0s");
    std::string implementation = s.implementation == server_implementation::fast ? "fast" : "reference";
    r.read_choice("implementation", implementation, {"fast", "reference"});
    s.implementation = implementation == "fast" ? server_implementation::fast : server_implementation::reference;
}

void read_admin(const toml_reader& r, admin_config& a) {
    r.reject_unknown({"enabled", "listen", "allow_remote", "control_socket"});
    r.read("enabled", a.enabled);
    r.read("listen", a.listen);
    r.read("allow_remote", a.allow_remote);
    r.read("control_socket", a.control_socket);
    if (!a.control_socket.empty() && (a.control_socket.front() != '/' || a.control_socket.size() > 107))
        r.fail("control_socket", "expected an absolute path of at most 107 bytes (or \"\" for no control socket), got \"" +
                                 a.control_socket + "\"");
    if (a.enabled && !a.allow_remote && !a.listen.is_loopback())
        r.fail("listen", "expected a loopback address (127.0.0.1 or [::1]) because metrics and status are private; "
                         "set allow_remote = true to expose them on " + a.listen.to_string());
}

void read_log(const toml_reader& r, log_config& l) {
    r.reject_unknown({"level", "format"});
    r.read_choice("level", l.level, {"trace", "debug", "info", "warn", "error"});
    r.read_choice("format", l.format, {"text", "json"});
}

void read_acme(const toml_reader& r, acme_config& a) {
    r.reject_unknown({"directory", "email", "agree_tos", "trusted_ca", "eab_kid", "eab_hmac_key", "preferred_chain",
                      "account_key_type", "order_timeout", "request_timeout"});
    r.read("directory", a.directory);
    if (a.directory.rfind("https://", 0) != 0)
        r.fail("directory", "expected an https:// URL of the CA's ACME directory, got \"" + a.directory + "\"");
    r.read("email", a.email);
    if (!a.email.empty() && (a.email.find('@') == std::string::npos || a.email.find_first_of(" ,<>") != std::string::npos))
        r.fail("email", "expected one e-mail address like \"ops@example.org\", got \"" + a.email + "\"");
    r.read("agree_tos", a.agree_tos);
    r.read("trusted_ca", a.trusted_ca);
    r.read("eab_kid", a.eab_kid);
    r.read("eab_hmac_key", a.eab_hmac_key);
    if (a.eab_kid.empty() != a.eab_hmac_key.empty())
        r.fail(a.eab_kid.empty() ? "eab_kid" : "eab_hmac_key", "expected eab_kid and eab_hmac_key together");
    r.read("preferred_chain", a.preferred_chain);
    r.read_choice("account_key_type", a.account_key_type, key_types);
    r.read("order_timeout", a.order_timeout);
    r.read("request_timeout", a.request_timeout);
}

// Every key is read whatever the kind (a key of the other kind is accepted and ignored, as it always was);
// the kind then picks the alternative.
void read_storage(const toml_reader& r, storage_config& s) {
    r.reject_unknown({"kind", "path", "bucket", "prefix", "endpoint", "region", "access_key_id",
                      "access_key_secret_file", "metadata_endpoint", "server_side_encryption", "lease_ttl"});
    std::string kind(std::visit([](const auto& o) { return o.kind; }, s.backend));
    r.read_choice("kind", kind, kinds_of<storage_options>());
    storage::dir_storage_options dir;
    storage::oss_storage_options oss;
    r.read("path", dir.path);
    r.read("bucket", oss.bucket);
    r.read("prefix", oss.prefix);
    r.read("endpoint", oss.endpoint);
    r.read("region", oss.region);
    r.read("access_key_id", oss.access_key_id);
    r.read("access_key_secret_file", oss.access_key_secret_file);
    r.read("metadata_endpoint", oss.metadata_endpoint);
    r.read("server_side_encryption", oss.server_side_encryption);
    r.read("lease_ttl", s.lease_ttl);
    // Below 3 s a refresh (ttl/3) would not fit in one OSS round trip; above an hour a crashed holder blocks
    // the fleet's renewals for too long.
    if (s.lease_ttl < std::chrono::seconds(3) || s.lease_ttl > std::chrono::hours(1))
        r.fail("lease_ttl", "expected between 3s and 1h (default 2m), got " + std::to_string(s.lease_ttl.count()) + "s");
    emplace_kind(s.backend, kind);
    std::visit(overloaded{
                   [&](storage::dir_storage_options& d) {
                       d = std::move(dir);
                       if (d.path.empty() || d.path.front() != '/')
                           r.fail("path", "expected an absolute directory path, got \"" + d.path + "\"");
                   },
                   [&](storage::oss_storage_options& o) {
                       o = std::move(oss);
                       r.require("bucket", "the OSS bucket name");
                       if (o.endpoint.empty() && o.region.empty())
                           r.require("region", "region or endpoint for the OSS bucket");
                   },
               },
               s.backend);
}

void read_renewal(const toml_reader& r, renewal_config& n) {
    r.reject_unknown({"check_interval", "renew_before", "max_concurrent_orders"});
    r.read("check_interval", n.check_interval);
    r.read("renew_before", n.renew_before);
    r.read("max_concurrent_orders", n.max_concurrent_orders, 1, 64);
    if (n.check_interval < std::chrono::seconds(10)) r.fail("check_interval", "expected at least 10s");
}
}  // namespace

void read_certificate(const toml_reader& r, certificate_config& c);
void read_challenge(const toml_reader& r, challenge_config& c);
void read_deployer(const toml_reader& r, deployer_config& d);
void check_references(const config& cfg, const toml::table& root);

config_result parse_config(std::string_view text, std::string_view source_name) {
    const std::string source(source_name);
    try {
        toml::table root = toml::parse(text, source_name);
        config cfg;
        cfg.source = source;
        toml_reader top(root, "top level", source);
        top.reject_unknown({"server", "admin", "log", "acme", "storage", "renewal", "challenge", "certificate", "deployer"});
        read_server(toml_reader(section(root, "server", source), "server", source), cfg.server);
        read_admin(toml_reader(section(root, "admin", source), "admin", source), cfg.admin);
        read_log(toml_reader(section(root, "log", source), "log", source), cfg.log);
        read_acme(toml_reader(section(root, "acme", source), "acme", source), cfg.acme);
        read_storage(toml_reader(section(root, "storage", source), "storage", source), cfg.storage);
        read_renewal(toml_reader(section(root, "renewal", source), "renewal", source), cfg.renewal);
        read_challenge(toml_reader(section(root, "challenge", source), "challenge", source), cfg.challenge);
        for (const char* array_name : {"certificate", "deployer"}) {
            const toml::node* n = root.get(array_name);
            if (!n) continue;
            if (!n->is_array_of_tables())
                throw config_error{source + ":" + std::to_string(n->source().begin.line) + ": " + array_name +
                                   ": expected [[" + array_name + "]] tables"};
            for (const auto& t : *n->as_array()) {
                const std::string sec = std::string(array_name) + " #" + std::to_string(
                    (array_name[0] == 'c' ? cfg.certificates.size() : cfg.deployers.size()) + 1);
                toml_reader r(*t.as_table(), sec, source);
                if (array_name[0] == 'c') read_certificate(r, cfg.certificates.emplace_back());
                else read_deployer(r, cfg.deployers.emplace_back());
            }
        }
        check_references(cfg, root);
        return cfg;
    } catch (const toml::parse_error& e) {
        std::ostringstream os;
        os << source << ":" << e.source().begin.line << ": TOML syntax error: " << e.description();
        return config_error{os.str()};
    } catch (const config_error& e) {
        return e;
    }
}

config_result load_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return config_error{path + ": cannot read the configuration file (does it exist, and may certman read it?)"};
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), path);
}

// Defined here to keep the per-entry checks next to the section readers above.
bool config_valid_name(std::string_view s) { return valid_name(s); }
bool config_valid_domain(const std::string& s) { return valid_dns_name(s) || is_ip_literal(s); }
bool config_valid_dns_name(std::string_view s) { return valid_dns_name(s); }
const std::initializer_list<std::string_view>& config_key_types() { return key_types; }

}  // namespace certman::app
