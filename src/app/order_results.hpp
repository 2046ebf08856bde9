// Internal to the app layer: turning a certificate's configuration into ACME identifiers, and an order's
// outcome into certman's values (the stored bundle, the failure reason counted in metrics).
#pragma once
#include <string>
#include <vector>
#include "certman/acme/client.hpp"
#include "certman/acme/identifier.hpp"
#include "certman/app/config.hpp"
#include "certman/core/result.hpp"
#include "certman/crypto/private_key.hpp"
#include "certman/policy/renewal.hpp"
#include "certman/storage/bundle.hpp"

namespace certman::app {

// What the renewal policy knows of a stored certificate (policy/renewal.hpp), and what the configuration asks
// of certificate `c` (its renew_before, else [renewal]'s; the configured directory). The daemon, `certman
// status` and the control socket decide with these same two, so they never disagree on what is due.
policy::stored_info stored_info_of(const storage::certificate_bundle& b);
policy::wanted wanted_of(const config& cfg, const certificate_config& c);

// DNS names, and IP addresses as RFC 8738 "ip" identifiers.
std::vector<acme::identifier> identifiers_of(const certificate_config& c);

// The bundle to store for an issued chain and its key. Errors (errc::protocol_error and the like) mean the
// CA sent something unusable; the failure's message then says what, for the log. `now` is recorded as
// obtained_at.
result<storage::certificate_bundle> make_bundle(const certificate_config& cert, const crypto::private_key& key,
                                                const acme::issued_certificate& issued, std::chrono::sys_seconds now);

// A short, stable reason for the failure metrics: "acme:<problem type>" when the CA sent a problem
// (order_certificate's ca_problem), else "timeout", "config", "cancelled", "protocol" or "transport" by f's code.
std::string failure_reason(const failure& f, const std::optional<acme::problem>& ca_problem);

// True when the CA refused the validation itself (counts toward its failed-validation limit).
bool is_authorization_failure(const std::optional<acme::problem>& ca_problem);

}  // namespace certman::app
