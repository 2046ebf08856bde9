// What the CA issued, checked against what we ordered before certman stores or deploys it. A CA that is
// broken (or hostile, or a proxy in the middle that swaps answers) must not get a wrong certificate onto the
// load balancer: the leaf must name exactly the identifiers of the order (RFC 8555 §7.4: the CA issues for
// the identifiers in the CSR, which are the order's), be valid now (RFC 5280 §4.1.2.5), and carry the public
// key of the CSR (§7.4, the CSR's key is the one we generated). Pure: `now` is a parameter.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"
#include "certman/acme/time_format.hpp"
#include "certman/core/result.hpp"
#include "certman/crypto/private_key.hpp"

namespace certman::acme {

// How far the leaf's notBefore may lie in our future: our clock may run behind the CA's. Five minutes is
// what Kerberos and most TLS stacks tolerate; CAs backdate notBefore (Boulder by an hour) for the same reason,
// so a correct certificate never needs more. notAfter gets no allowance: a certificate that has expired by
// our clock is useless to us whatever the CA's clock says.
inline constexpr std::chrono::seconds issued_clock_skew{300};

// Checks the leaf (first PEM block of `chain_pem`) against the order:
// - its subjectAltName entries are exactly `requested` as sets: dNSName compared case-insensitively with
//   "dns" identifiers, iPAddress compared by address (any textual form) with "ip" identifiers (RFC 8738);
// - notBefore <= now + issued_clock_skew and now < notAfter;
// - its public key is the public half of `key`.
// On success returns {}. Otherwise errc::protocol_error whose message is one line for the operator
// naming the check, what was expected and what was got, e.g. "the issued certificate's names differ from the
// order: expected a.example, b.example; got a.example (missing b.example)". A chain that does not parse is
// also errc::protocol_error.
result<void> check_issued_certificate(std::string_view chain_pem, const std::vector<identifier>& requested,
                                      const crypto::private_key& key, timestamp now);

}  // namespace certman::acme
