// `certman check-config` output: the resolved configuration (defaults filled in) as TOML, secrets masked.
#include <sstream>
#include "certman/app/config_parser.hpp"
#include "certman/core/duration.hpp"
#include "certman/core/variant_kind.hpp"

namespace certman::app {
namespace {
std::string q(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}
std::string secret(const std::string& s) { return s.empty() ? "\"\"" : "\"***\""; }
std::string list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + q(v[i]);
    return out + "]";
}
std::string ints(const std::vector<int>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
    return out + "]";
}
std::string dur(std::chrono::seconds d) { return q(format_duration(d)); }
std::string b(bool v) { return v ? "true" : "false"; }

void render(std::ostream& o, const deploy::slb_deployer_options& d) {
    o << "region = " << q(d.region) << "\n";
    if (!d.load_balancer_name.empty()) o << "load_balancer_name = " << q(d.load_balancer_name) << "\n";
    if (!d.load_balancer_id.empty()) o << "load_balancer_id = " << q(d.load_balancer_id) << "\n";
    o << "listener_ports = " << ints(d.listener_ports) << "\nkeep_previous = " << d.keep_previous << "\n";
    if (!d.access_key_id.empty())
        o << "access_key_id = " << q(d.access_key_id) << "\naccess_key_secret_file = " << q(d.access_key_secret_file)
          << "\n";
    if (!d.endpoint.empty()) o << "endpoint = " << q(d.endpoint) << "\n";
}

void render(std::ostream& o, const deploy::cas_listener_options& d) {
    o << "region = " << q(d.region) << "\nlistener_id = " << q(d.listener_id) << "\ncert_name_prefix = "
      << q(d.cert_name_prefix) << "\nkeep_previous = " << d.keep_previous << "\n";
    if (!d.endpoint.empty()) o << "endpoint = " << q(d.endpoint) << "\n";
    if (!d.cas_endpoint.empty()) o << "cas_endpoint = " << q(d.cas_endpoint) << "\n";
    if (!d.access_key_id.empty())
        o << "access_key_id = " << q(d.access_key_id) << "\naccess_key_secret_file = " << q(d.access_key_secret_file)
          << "\n";
    if (!d.metadata_endpoint.empty()) o << "metadata_endpoint = " << q(d.metadata_endpoint) << "\n";
}

void render(std::ostream& o, const challenge::dns01_alidns_options& d) {
    o << "provider = " << q(std::string(d.kind)) << "\nzone = " << q(d.zone) << "\nendpoint = " << q(d.endpoint)
      << "\naccess_key_id = " << q(d.access_key_id) << "\naccess_key_secret_file = " << q(d.access_key_secret_file)
      << "\nmetadata_endpoint = " << q(d.metadata_endpoint) << "\nttl = " << d.ttl
      << "\npropagation_timeout = " << dur(d.propagation_timeout) << "\npoll_interval = " << dur(d.poll_interval)
      << "\nresolvers = " << list(d.resolvers) << "\n";
}

void render(std::ostream& o, const deploy::haproxy_deployer_options& d) {
    o << "socket = " << q(d.socket) << "\ncrt_path = " << q(d.crt_path) << "\ntimeout = " << dur(d.timeout) << "\n";
}

void render(std::ostream& o, const deploy::files_deployer_options& d) {
    o << "directory = " << q(d.directory) << "\nfullchain_name = " << q(d.fullchain_name) << "\nkey_name = "
      << q(d.key_name) << "\ncert_name = " << q(d.cert_name) << "\nchain_name = " << q(d.chain_name)
      << "\nowner = " << q(d.owner) << "\ngroup = " << q(d.group) << "\nreload_command = " << list(d.reload_command)
      << "\ntimeout = " << dur(d.timeout) << "\n";
    if (!d.pass_environment.empty()) o << "pass_environment = " << list(d.pass_environment) << "\n";
    if (!d.environment.empty()) o << "environment = " << list(d.environment) << "\n";
}
}  // namespace

std::string render_config(const config& c) {
    std::ostringstream o;
    o << "# resolved from " << c.source << "\n";
    o << "[server]\nlisten = " << q(c.server.listen.to_string()) << "\nmax_connections = " << c.server.max_connections
      << "\nheader_timeout = " << dur(c.server.header_timeout) << "\nidle_timeout = " << dur(c.server.idle_timeout)
      << "\nmax_header_bytes = " << c.server.max_header_bytes << "\nmax_body_bytes = " << c.server.max_body_bytes << "\n";
    o << "\n[admin]\nenabled = " << b(c.admin.enabled) << "\nlisten = " << q(c.admin.listen.to_string())
      << "\nallow_remote = " << b(c.admin.allow_remote) << "\ncontrol_socket = " << q(c.admin.control_socket) << "\n";
    o << "\n[log]\nlevel = " << q(c.log.level) << "\nformat = " << q(c.log.format) << "\n";
    o << "\n[acme]\ndirectory = " << q(c.acme.directory) << "\nemail = " << q(c.acme.email)
      << "\nagree_tos = " << b(c.acme.agree_tos) << "\ntrusted_ca = " << q(c.acme.trusted_ca)
      << "\neab_kid = " << q(c.acme.eab_kid) << "\neab_hmac_key = " << secret(c.acme.eab_hmac_key)
      << "\npreferred_chain = " << q(c.acme.preferred_chain) << "\naccount_key_type = " << q(c.acme.account_key_type)
      << "\norder_timeout = " << dur(c.acme.order_timeout) << "\nrequest_timeout = " << dur(c.acme.request_timeout) << "\n";
    o << "\n[storage]\nkind = ";
    std::visit(overloaded{
                   [&](const storage::dir_storage_options& d) { o << q(std::string(d.kind)) << "\npath = " << q(d.path) << "\n"; },
                   [&](const storage::oss_storage_options& s) {
                       o << q(std::string(s.kind)) << "\nbucket = " << q(s.bucket) << "\nprefix = " << q(s.prefix)
                         << "\nendpoint = " << q(s.endpoint) << "\nregion = " << q(s.region) << "\naccess_key_id = "
                         << q(s.access_key_id) << "\naccess_key_secret_file = " << q(s.access_key_secret_file)
                         << "\nserver_side_encryption = " << b(s.server_side_encryption)
                         << "\nlease_ttl = " << dur(c.storage.lease_ttl) << "\n";
                   },
               },
               c.storage.backend);
    o << "\n[renewal]\ncheck_interval = " << dur(c.renewal.check_interval) << "\n"
      << (c.renewal.renew_before ? "renew_before = " + dur(*c.renewal.renew_before)
                                 : std::string("# renew_before not set: renew when 1/3 of the lifetime is left"))
      << "\nmax_concurrent_orders = " << c.renewal.max_concurrent_orders << "\n";
    o << "\n[challenge]\ntype = " << q(c.challenge.type) << "\n";
    if (c.challenge.dns01) std::visit([&](const auto& options) { render(o, options); }, *c.challenge.dns01);
    for (const auto& cert : c.certificates) {
        o << "\n[[certificate]]\nname = " << q(cert.name) << "\ndomains = " << list(cert.domains)
          << "\ndeploy = " << list(cert.deploy) << "\nkey_type = " << q(cert.key_type);
        if (cert.renew_before) o << "\nrenew_before = " << dur(*cert.renew_before);
        if (!cert.profile.empty()) o << "\nprofile = " << q(cert.profile);
        if (!cert.challenge.empty()) o << "\nchallenge = " << q(cert.challenge);
        o << "\n";
    }
    for (const auto& d : c.deployers) {
        o << "\n[[deployer]]\nname = " << q(d.name) << "\nkind = " << q(std::string(d.kind())) << "\n";
        std::visit([&](const auto& options) { render(o, options); }, d.options);
    }
    return o.str();
}
}  // namespace certman::app
