// Order inputs and outcomes as certman's values (order_results.hpp).
#include "order_results.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/net/endpoint.hpp"

namespace certman::app {

policy::stored_info stored_info_of(const storage::certificate_bundle& b) {
    return {b.names, b.key_type, b.not_before, b.not_after, b.profile, b.directory_url};
}

policy::wanted wanted_of(const config& cfg, const certificate_config& c) {
    return {c.domains, c.key_type, c.renew_before ? c.renew_before : cfg.renewal.renew_before, c.profile,
            cfg.acme.directory};
}

std::vector<acme::identifier> identifiers_of(const certificate_config& c) {
    std::vector<acme::identifier> out;
    for (const auto& d : c.domains) {
        bool ip = net::parse_endpoint(d + ":1").has_value() || net::parse_endpoint("[" + d + "]:1").has_value();
        out.push_back(ip ? acme::identifier::ip(d) : acme::identifier::dns(d));
    }
    return out;
}

// Fills a bundle from the issued chain and the key; errors mean the CA sent something unusable.
result<storage::certificate_bundle> make_bundle(const certificate_config& cert, const crypto::private_key& key,
                                                const acme::issued_certificate& issued, std::chrono::sys_seconds now) {
    auto certs = crypto::split_pem_chain(issued.chain_pem);
    if (!certs || certs->empty()) return failure{errc::protocol_error, "the CA's certificate chain is not PEM"};
    auto facts = crypto::inspect_certificate((*certs)[0]);
    if (!facts) return failure{errc::protocol_error, "the issued certificate cannot be parsed"};
    if (!crypto::key_matches_certificate(key, (*certs)[0]))
        return failure{errc::protocol_error, "the issued certificate does not match our key"};
    storage::certificate_bundle b;
    auto pem = crypto::to_pem(key);
    if (!pem) return pem.error().with_message("cannot encode the private key");
    b.private_key_pem = std::move(*pem);
    b.certificate_pem = (*certs)[0];
    for (std::size_t i = 1; i < certs->size(); ++i) b.chain_pem += (*certs)[i];
    b.names = cert.domains;
    b.key_type = cert.key_type;
    b.issuer_cn = facts->issuer_cn;
    b.serial = facts->serial_hex;
    b.not_before = facts->not_before;
    b.not_after = facts->not_after;
    b.obtained_at = now;
    b.order_url = issued.order_url;
    b.certificate_url = issued.certificate_url;
    b.profile = cert.profile;
    return b;
}

// A short, stable reason for the failure metrics: the ACME problem type or the error kind.
std::string failure_reason(const failure& f, const std::optional<acme::problem>& ca_problem) {
    if (ca_problem) return "acme:" + std::string(acme::short_type(*ca_problem));
    if (f == errc::timeout) return "timeout";
    if (f == errc::config_error) return "config";
    if (f == errc::cancelled) return "cancelled";
    if (f == errc::protocol_error) return "protocol";  // e.g. the issued certificate failed its check
    return "transport";
}

bool is_authorization_failure(const std::optional<acme::problem>& ca_problem) {
    if (!ca_problem) return false;
    for (auto t : {"connection", "unauthorized", "dns", "incorrectResponse", "caa", "tls"})
        if (acme::is(*ca_problem, t)) return true;
    for (const auto& s : ca_problem->subproblems)
        for (auto t : {"connection", "unauthorized", "dns", "incorrectResponse", "caa", "tls"})
            if (acme::is(s, t)) return true;
    return false;
}

}  // namespace certman::app
