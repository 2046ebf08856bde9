// Internal to the app layer: what to tell the operator when the ACME account could not be set up
// (renewal_manager::ensure_acme_account), by the error it returned.
#pragma once
#include <string>
#include <boost/system/error_code.hpp>

namespace certman::app {

// errc::config_error: the account needs configuration (details logged); errc::corrupt_data: the stored
// account key of `directory` does not parse; anything else: the CA could not be reached.
std::string account_failure_text(const boost::system::error_code& e, const std::string& directory);

}  // namespace certman::app
