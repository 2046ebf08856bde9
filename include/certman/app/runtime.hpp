// The running daemon's state, owned by run_daemon (or a one-shot command, offline_command.hpp) and shared by
// its coroutines (one thread: no locks): configuration, challenge store, servers, per-certificate status, the
// tasks, and the stop/reload entry points. Its fields are its own: the listeners, the control socket and the
// renewal manager are built by its methods, each handed the narrow part it uses (an executor, the challenge
// store, the task_group, a renewal_environment); commands read the configuration and the manager through
// accessors. Ownership (see run_daemon): the blocking pool, the io_context and this runtime are declared in
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

class runtime {
public:
    runtime(boost::asio::any_io_executor ex, blocking_pool& pool, std::string config_path, config cfg);
    ~runtime();
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;

    // What the commands read: the live configuration (a reload assigns the new one to the same object) and
    // the file it came from.
    const config& cfg() const { return cfg_; }
    const std::string& config_path() const { return config_path_; }
    boost::asio::any_io_executor executor() const { return executor_; }
    blocking_pool& blocking() { return blocking_; }  // key generation, fsync-heavy writes (blocking_pool.hpp)
    // The renewal manager; null until create_manager() or start_background() built it.
    renewal_manager* manager() { return manager_.get(); }

    // `fn` is called by stop() with the longest the stop may take; it stops the io_context after it.
    void set_hard_stop(std::function<void(std::chrono::steady_clock::duration)> fn) { hard_stop_ = std::move(fn); }
    // Starts `task` in the runtime's task_group (named in logs; the stop cancels it).
    void spawn(std::string name, boost::asio::awaitable<void> task) { tasks_.spawn(std::move(name), std::move(task)); }

    // Starts the public listener ([server], public_server.hpp). Error: the bind/listen error.
    result<void> serve_public();
    // Starts the admin listener (/metrics, /status) when [admin] enables it. Error: the bind/listen error.
    result<void> serve_admin();
    // Opens [admin] control_socket (control_server.hpp). Error: a message for the operator.
    std::optional<std::string> open_control_socket();
    // "<public endpoint>[, metrics on <admin endpoint>]", for the startup line.
    std::string listening_on() const;
    // Builds the renewal manager (storage, HTTP client, deployers) without starting its tasks. Throws
    // std::exception with a message for the operator when something cannot be set up.
    void create_manager();
    // create_manager(), then one renewal task per certificate. Errors (logged): storage or deployers
    // cannot be set up.
    result<void> start_background();
    // Graceful stop: stop accepting, close idle connections (in-flight responses finish), cancel every task
    // (`terminal`, task_group.hpp); io_context::run returns when the last of them has ended, at the latest
    // grace + 2 s later (the hard stop). Idempotent.
    void stop(std::chrono::seconds grace = std::chrono::seconds(3));
    bool stop_requested() const { return stop_requested_; }
    // Re-reads the configuration file and builds everything it describes aside; a file that does not parse
    // or cannot be built is rejected with a log line and the running one kept. Returns that refusal (for
    // the control socket's caller), nullopt when the new configuration is in place.
    std::optional<std::string> reload();
    // The /status document (JSON, one line), as the admin listener serves it.
    std::string status_json() const;

private:
    // /metrics and /status on the admin listener.
    net::response_spec route_admin(std::string_view method, std::string_view target);
    boost::asio::awaitable<void> stop_gracefully(std::chrono::seconds grace);
    std::string render_now(bool metrics) const;

    boost::asio::any_io_executor executor_;
    blocking_pool& blocking_;
    std::string config_path_;
    config cfg_;
    net::challenge_store challenges_;
    std::unique_ptr<net::server> public_server_;
    std::unique_ptr<net::server> admin_server_;
    // Shared so that a renewal running across a reload keeps a live object (reconfigure() rebuilds the list).
    std::vector<std::shared_ptr<certificate_status>> certificates_;
    acme_stats acme_;
    std::chrono::sys_seconds started_at_;
    task_group tasks_;                                  // signals, watchdog, one renewal task per certificate
    std::unique_ptr<renewal_manager> manager_;
    std::unique_ptr<control_server> control_;          // [admin] control_socket (control_server.hpp)
    std::function<void(std::chrono::steady_clock::duration)> hard_stop_;
    bool stop_requested_ = false;
};

}  // namespace certman::app
