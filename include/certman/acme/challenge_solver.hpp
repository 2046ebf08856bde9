// The plug point for proving control of an identifier (RFC 8555 §8): the ACME driver (client.hpp) hands each
// pending authorization's challenge to one solver, which makes it visible where the CA will look, says when
// it is, and removes it afterwards. The interface lives here, beside the driver that calls it; the
// implementations live in the challenge layer (include/certman/challenge/): HTTP-01 from this process's
// memory, HTTP-01 shared through cluster storage (answered by any instance, app/challenge_fallback.hpp);
// DNS-01 on Alibaba Cloud DNS comes next.
//
// Contract of a challenge_solver, for one order's challenges (the driver calls, in this order per token):
//  - type(): the RFC 8555 §8 challenge type it solves ("http-01", "dns-01", "tls-alpn-01"). The driver asks
//    the order flow for challenges of this type only (flow_config::challenge_type).
//  - present(c): makes c visible. http-01: GET /.well-known/acme-challenge/<c.token> answers
//    c.key_authorization (§8.3); dns-01: a TXT record "_acme-challenge.<c.identifier.value>" holds
//    base64url(SHA-256(c.key_authorization)) (§8.4). Idempotent: presenting the same c again succeeds.
//    Several challenges of one order (and of concurrent orders) are present at once: present must not
//    replace another token's answer (dns-01: add a TXT value, do not overwrite the record).
//    Errors: the backend's code (storage/cloud/io errors, errc::timeout); nothing has to be undone by the
//    caller beyond cleanup(c).
//  - wait_ready(c): completes once the CA can see c (dns-01: the authoritative servers answer the TXT
//    value; bounded by the solver's own timeout → errc::timeout). The driver tells the CA to validate only
//    after it succeeds. Solvers whose present() is visible at once return success at once (the default).
//  - cleanup(c): removes what present(c) added, best effort (errors are logged by the solver, not returned):
//    the driver calls it for every presented challenge once the order has its result, on failure and on
//    cancellation too. Removing what is already gone is fine. Must not remove other tokens' answers.
//  - Every call runs on the daemon's single io_context thread; each network step has a timeout. c is a
//    reference that must outlive the returned awaitable (the driver co_awaits directly).
//  - A solver never logs its backend's credentials. Key authorizations are public (the CA fetches them over
//    plain HTTP).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include "certman/acme/identifier.hpp"
#include "certman/core/result.hpp"

namespace certman::acme {

// One challenge to make visible (what RFC 8555 §8 gives the client for it).
struct challenge_params {
    acme::identifier identifier;     // the name or address being validated
    std::string token;               // the challenge's token (base64url, §8.1)
    std::string key_authorization;   // token "." base64url(JWK thumbprint of the account key), §8.1
};

class challenge_solver {
public:
    virtual ~challenge_solver() = default;
    virtual std::string_view type() const = 0;
    virtual boost::asio::awaitable<result<void>> present(const challenge_params& c) = 0;
    virtual boost::asio::awaitable<result<void>> wait_ready(const challenge_params& c);
    virtual boost::asio::awaitable<void> cleanup(const challenge_params& c) = 0;
};

}  // namespace certman::acme
