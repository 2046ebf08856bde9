#include "account_failure.hpp"
#include "certman/core/errc.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {

std::string account_failure_text(const boost::system::error_code& e, const std::string& directory) {
    if (e == errc::config_error) return "the ACME account could not be set up (see the log)";
    if (e == errc::corrupt_data)
        return "the ACME account key in storage (" + storage::account_key(directory) +
               ") is corrupt: it is not a PEM private key; restore it from a backup, or remove it to register a new account";
    return "the CA is unreachable: " + e.message();
}

}  // namespace certman::app
