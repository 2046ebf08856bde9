// Leases on top of any storage backend: "only one certman orders this certificate at a time" (docs/cluster-mode.md, "Guarantees").
// A lease is the document {"owner": "...", "expires": "<RFC 3339>"} under lease_key(name), created with
// storage::create (atomic create-if-absent: O_EXCL/link on a directory, x-oss-forbid-overwrite on OSS).
// The holder refreshes it while it works (lease_keeper.hpp) and checks still_ours() right before writing
// its results.
// Time is passed in (STYLE.md §4); leases tolerate clock skew between machines only up to their margin:
// choose ttl much larger than the skew and refresh at ttl/3.
//
// Limits (documented, inherent to a store without compare-and-delete): taking over an expired lease is
// load + remove + create; two instances taking over the same stale lease at the same instant can both
// remove, but only one create succeeds. The loser sees errc::already_exists. A holder that stalls past its
// expiry may be taken over; still_ours() before every final write is what keeps its late results out.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>
#include <string>
#include "certman/core/result.hpp"
#include "certman/storage/storage.hpp"

namespace certman::storage {

struct lease {
    std::string key;    // lease_key(name)
    std::string owner;  // unique per process incarnation, e.g. "host/pid/random"
    std::chrono::sys_seconds expires{};
    // Set by acquire_lease when it replaced a stale lease (not stored). Another instance that saw the same
    // stale lease at the same moment may have removed ours and created its own right after: the caller
    // should let a moment pass and check still_ours() before spending anything under it.
    bool taken_over = false;
};

// The lease document, and its parser (errc::parse_error for anything else).
std::string lease_to_json(const lease& l);
result<lease> lease_from_json(std::string key, std::string_view text);

// Takes the lease on `name` for ttl from now. Succeeds when the lease is absent, expired (expires <= now:
// it is taken over), or already held by the same owner (then it is refreshed). Errors: errc::already_exists
// when another owner holds an unexpired lease (or won a concurrent takeover); storage errors as they come.
// A lease document that cannot be parsed is treated as expired (a torn write by an older version).
// On errc::already_exists, *holder (when given; it must outlive the call) receives the lease that is held,
// so the caller can come back when it runs out.
// `owner_gone` (when given) is asked about an unexpired lease of another owner: true means that owner is
// provably dead (lease_owner.hpp, local_owner_gone: a process of this host that no longer exists), and the
// lease is taken over at once as if it had expired.
boost::asio::awaitable<result<lease>> acquire_lease(storage& s, std::string name, std::string owner,
                                                    std::chrono::seconds ttl, std::chrono::sys_seconds now,
                                                    lease* holder = nullptr,
                                                    bool (*owner_gone)(std::string_view) = nullptr);

// Extends a held lease to now + ttl. Errors: errc::lease_lost when the stored lease is missing, expired,
// or has another owner; storage errors as they come.
boost::asio::awaitable<result<lease>> refresh_lease(storage& s, lease held, std::chrono::seconds ttl,
                                                    std::chrono::sys_seconds now);

// Success when the stored lease still names held.owner and has not expired at now; errc::lease_lost
// otherwise; storage errors as they come.
boost::asio::awaitable<result<void>> still_ours(storage& s, lease held, std::chrono::sys_seconds now);

// Removes the lease if it is still ours (another owner's lease is left alone: success all the same, since
// ours is gone either way). Missing is success.
boost::asio::awaitable<result<void>> release_lease(storage& s, lease held);

}  // namespace certman::storage
