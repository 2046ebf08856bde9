// [challenge] and the per-certificate challenge checks (config.hpp challenge_config; README "DNS-01 on Alibaba
// Cloud DNS"). The provider kind picks the alternative of dns01_provider_options; each has a read_options overload.
#include "certman/app/config_parser.hpp"
#include "certman/cloud/alibaba/alidns_model.hpp"
#include "certman/core/variant_kind.hpp"
#include "certman/net/endpoint.hpp"
#include "toml_reader.hpp"

namespace certman::app {
using detail::toml_reader;

namespace {
void read_options(const toml_reader& r, challenge::dns01_alidns_options& o) {
    r.read("zone", o.zone);
    r.read("endpoint", o.endpoint);
    if (auto e = cloud::alibaba::resolve_alidns_endpoint(o.endpoint); !e.error.empty()) r.fail("endpoint", e.error);
    r.read("access_key_id", o.access_key_id);
    r.read("access_key_secret_file", o.access_key_secret_file);
    if (o.access_key_id.empty() != o.access_key_secret_file.empty())
        r.fail("access_key_id", "expected access_key_id and access_key_secret_file together (or neither, to "
                                "use the environment or the ECS RAM role)");
    r.read("metadata_endpoint", o.metadata_endpoint);
    r.read("ttl", o.ttl, 1, 86400);
    r.read("propagation_timeout", o.propagation_timeout);
    r.read("poll_interval", o.poll_interval);
    if (o.propagation_timeout.count() <= 0) r.fail("propagation_timeout", "must be more than 0s");
    if (o.poll_interval.count() <= 0) r.fail("poll_interval", "must be more than 0s");
    r.read("resolvers", o.resolvers);
    for (const auto& s : o.resolvers)
        if (!net::parse_endpoint(s))
            r.fail("resolvers", "expected \"IP:port\" entries such as \"223.5.5.5:53\", got \"" + s + "\"");
}
}  // namespace

void read_challenge(const toml_reader& r, challenge_config& c) {
    r.reject_unknown({"type", "provider", "zone", "endpoint", "access_key_id", "access_key_secret_file",
                      "metadata_endpoint", "ttl", "propagation_timeout", "poll_interval", "resolvers"});
    r.read_choice("type", c.type, {"http-01", "dns-01"});
    if (!r.has("provider")) {
        if (c.type == "dns-01") r.require("provider", "the DNS provider of dns-01: alidns");
        for (auto key : {"zone", "endpoint", "access_key_id", "ttl", "resolvers"})
            if (r.has(key)) r.fail(key, "is a dns-01 provider setting; set provider = \"alidns\" too");
        return;
    }
    std::string provider;
    r.read_choice("provider", provider, kinds_of<dns01_provider_options>());
    emplace_kind(c.dns01.emplace(), provider);
    std::visit([&](auto& options) { read_options(r, options); }, *c.dns01);
}

// A wildcard needs dns-01 (RFC 8555 §7.1.3); dns-01 needs a provider and DNS names (RFC 8738 §7: IP identifiers
// have no dns-01).
void check_challenge(const config& cfg, const certificate_config& c, const std::string& where) {
    const bool dns01 = cfg.challenge_type(c) == "dns-01";
    for (const auto& d : c.domains) {
        if (d.rfind("*.", 0) == 0 && !dns01)
            throw config_error{where + "domains: \"" + d + "\" is a wildcard; wildcards need the dns-01 challenge: set "
                               "challenge = \"dns-01\" here (or type = \"dns-01\" in [challenge]) with a [challenge] "
                               "provider, or list each name instead"};
        if (dns01 && (net::parse_endpoint(d + ":1") || net::parse_endpoint("[" + d + "]:1")))
            throw config_error{where + "domains: \"" + d + "\" is an IP address, which dns-01 cannot validate; "
                               "use challenge = \"http-01\" for it"};
    }
    if (dns01 && !cfg.challenge.dns01)
        throw config_error{where + "challenge: dns-01 needs a DNS provider: add [challenge] provider = \"alidns\""};
}

}  // namespace certman::app
