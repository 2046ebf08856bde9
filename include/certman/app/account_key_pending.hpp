// Crash safety of an account key rollover (RFC 8555 §7.3.5). `certman account rollover` stores the new key as
// pending (storage/keys.hpp pending_account_key) before it asks the CA, and promotes it to the account key
// only after the CA accepted it. A crash (or a lost answer) in between leaves both keys in storage and only the
// CA knows which one is current; this asks it before the account is used again.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include "certman/acme/client.hpp"
#include "certman/core/result.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// No pending key: nothing to do. Otherwise asks the CA for the account of the pending key with
// onlyReturnExisting (never creates one): found → the pending key becomes the account key (stored, then the
// pending object removed); accountDoesNotExist → the rollover never happened, the pending key is removed.
// Anything else (CA unreachable, storage refusing) → a failure whose message says what was interrupted; the caller must not use the
// account then: with the old key, newAccount could create a second account if the CA already switched.
boost::asio::awaitable<result<void>> resolve_pending_account_key(storage::storage& st, net::http_client& http,
                                                                     acme::client_options options);

}  // namespace certman::app
