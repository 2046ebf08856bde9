// Order inputs and outcomes as certman's values (order_results.hpp).
#include "order_results.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/net/endpoint.hpp"

namespace certman::app {

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
                                                const acme::issued_certificate& issued, std::chrono::sys_seconds now,
                                                std::string& why) {
    auto certs = crypto::split_pem_chain(issued.chain_pem);
    if (!certs || certs->empty()) { why = "the CA's certificate chain is not PEM"; return errc::protocol_error; }
    auto facts = crypto::inspect_certificate((*certs)[0]);
    if (!facts) { why = "the issued certificate cannot be parsed"; return errc::protocol_error; }
    if (!crypto::key_matches_certificate(key, (*certs)[0])) { why = "the issued certificate does not match our key"; return errc::protocol_error; }
    storage::certificate_bundle b;
    auto pem = crypto::to_pem(key);
    if (!pem) { why = "cannot encode the private key"; return pem.error(); }
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
std::string failure_reason(const acme::failure& f) {
    if (f.ca_problem) return "acme:" + std::string(acme::short_type(*f.ca_problem));
    if (f.code == errc::timeout) return "timeout";
    if (f.code == errc::config_error) return "config";
    if (f.code == errc::cancelled) return "cancelled";
    if (f.code == errc::protocol_error) return "protocol";  // e.g. the issued certificate failed its check
    return "transport";
}

bool is_authorization_failure(const acme::failure& f) {
    if (!f.ca_problem) return false;
    for (auto t : {"connection", "unauthorized", "dns", "incorrectResponse", "caa", "tls"})
        if (acme::is(*f.ca_problem, t)) return true;
    for (const auto& s : f.ca_problem->subproblems)
        for (auto t : {"connection", "unauthorized", "dns", "incorrectResponse", "caa", "tls"})
            if (acme::is(s, t)) return true;
    return false;
}

}  // namespace certman::app
