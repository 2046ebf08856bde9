// Keeps a held lease (lease.hpp) alive while its holder works: the lease TTL can then be short (a crashed
// holder is taken over quickly) while an order or a slow deploy may take longer than one TTL (docs/cluster-mode.md, "Guarantees").
//
// start() spawns a loop that refreshes the lease every `every` (ttl/3 in production: two refreshes can
// fail before the lease expires) until stop(). It never takes the lease back: it reports loss and ends,
// and the holder must stop working. Loss is declared when
//  - a refresh finds the stored lease missing, expired, or owned by someone else (errc::lease_lost), or
//  - refreshes keep failing (storage unreachable: a partition) until the last expiry we wrote has passed
//    by our own clock, so from then on another instance may legitimately take it over.
// Transient storage errors are retried at the next tick (the storage adapter retries inside each call too).
//
// Time is passed in (STYLE.md §4): `now` gives the wall clock the lease expiry is written in; the tick is a
// steady timer. Everything runs on one executor. Await stop() before releasing the lease; destroying a
// keeper without it (an exception unwinding the holder) is safe too: the loop ends at its next step. The
// storage must outlive the loop.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include "certman/storage/lease.hpp"
#include "certman/storage/storage.hpp"

namespace certman::storage {

class lease_keeper {
public:
    using wall_clock = std::function<std::chrono::sys_seconds()>;

    lease_keeper(boost::asio::any_io_executor ex, storage& s, lease held, std::chrono::seconds ttl, wall_clock now);

    // Spawns the refresh loop on the executor; it ends after stop() or once the lease is lost.
    void start(std::chrono::steady_clock::duration every);
    // Ends the loop (an in-flight refresh finishes first) and waits until it has returned. Idempotent; fine
    // when start() was never called.
    boost::asio::awaitable<void> stop();

    ~lease_keeper();
    lease_keeper(const lease_keeper&) = delete;
    lease_keeper& operator=(const lease_keeper&) = delete;

    // True once the lease is no longer ours (see above); why() says why, for the log.
    bool lost() const noexcept;
    const std::string& why() const noexcept;
    // The lease as last written (its expiry moves forward with each refresh).
    const lease& current() const noexcept;
    unsigned refreshes() const noexcept;

    struct shared;  // shared with the spawned loop, so it never outlives what it touches

private:
    std::shared_ptr<shared> s_;
};

}  // namespace certman::storage
