// Where the ACME account key of one directory lives in storage (keys.hpp account_key), and the move from its
// old name. Versions before this one kept the same PKCS#8 PEM key under "account.json", a name that hid that
// the object is the account's one secret; it is now "account-key.pem". The move never loses the account:
// the old object is read only when the new one is absent, the new one is written (create-if-absent, so two
// instances moving at once agree on one value), and the old one is removed only once the new one is durable.
// Works on every backend (dir, OSS) through the storage contract alone. Never logs the key.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include "certman/core/result.hpp"
#include "certman/storage/storage.hpp"

namespace certman::storage {

// The account key PEM of `directory_url`: account-key.pem, or else the legacy account.json moved to it.
// Errors: errc::not_found when neither exists; storage errors as the backend reports them (the
// failure's message names the object). A failed removal of the legacy object after a successful move is not an
// error (the next load finds the new name first and never reads the old one).
boost::asio::awaitable<result<std::string>> load_account_key_pem(storage& st, std::string directory_url);

}  // namespace certman::storage
