// The running daemon's state, owned by run_daemon and shared by its coroutines (one thread: no locks):
// configuration, challenge store, servers, per-certificate status, the tasks, and the stop/reload entry
// points. Ownership (see run_daemon): the blocking pool, the io_context and this runtime are declared in
// that order; after io_context::run returns, the pool is joined and the io_context's pending handlers are
// destroyed while the runtime is still alive, so no coroutine frame ever outlives what it references.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include "certman/app/blocking_pool.hpp"
#include "certman/app/config.hpp"
#include "certman/app/status.hpp"
#include "certman/app/task_group.hpp"
#include "certman/core/result.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/net/router.hpp"
#include "certman/net/server.hpp"

namespace certman::app {

class renewal_manager;
class control_server;

struct runtime {
    runtime(boost::asio::any_io_executor ex, blocking_pool& pool, std::string config_path, config cfg);
    ~runtime();

    boost::asio::any_io_executor executor;
    blocking_pool& blocking;                           // key generation, fsync-heavy writes (blocking_pool.hpp)
    std::string config_path;
    config cfg;
    net::challenge_store challenges;
    std::unique_ptr<net::server> public_server;
    std::unique_ptr<net::server> admin_server;
    // Shared so that a renewal running across a reload keeps a live object (reconfigure() rebuilds the list).
    std::vector<std::shared_ptr<certificate_status>> certificates;
    acme_stats acme;
    std::chrono::sys_seconds started_at;
    task_group tasks;                                  // signals, watchdog, one renewal task per certificate
    std::unique_ptr<renewal_manager> manager;
    std::unique_ptr<control_server> control;           // [admin] control_socket (control_server.hpp)
    // Called by stop() with the longest the stop may take; stops the io_context after it (run_daemon).
    std::function<void(std::chrono::steady_clock::duration)> arm_hard_stop;

    // Starts the renewal manager's tasks. Errors (logged): storage or deployers cannot be set up.
    result<void> start_background();
    // Graceful stop: stop accepting, close idle connections (in-flight responses finish), cancel every task
    // (`terminal`, task_group.hpp); io_context::run returns when the last of them has ended, at the latest
    // grace + 2 s later (arm_hard_stop). Idempotent.
    void stop(std::chrono::seconds grace = std::chrono::seconds(3));
    bool stop_requested() const { return stop_requested_; }
    // Re-reads the configuration file and builds everything it describes aside; a file that does not parse
    // or cannot be built is rejected with a log line and the running one kept. Returns that refusal (for
    // the control socket's caller), nullopt when the new configuration is in place.
    std::optional<std::string> reload();
    // The /status document (JSON, one line), as the admin listener serves it.
    std::string status_json() const;
    // /metrics and /status on the admin listener.
    net::response_spec route_admin(std::string_view method, std::string_view target);

private:
    boost::asio::awaitable<void> stop_gracefully(std::chrono::seconds grace);
    std::string render_now(bool metrics) const;
    bool stop_requested_ = false;
};

}  // namespace certman::app
