// The running daemon's state, owned by run_daemon and shared by its coroutines (one thread: no locks):
// configuration, challenge store, servers, per-certificate status, and the stop/reload entry points.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include "certman/app/config.hpp"
#include "certman/app/status.hpp"
#include "certman/core/result.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/net/router.hpp"
#include "certman/net/server.hpp"

namespace certman::app {

class renewal_manager;

struct runtime {
    runtime(boost::asio::any_io_executor ex, std::string config_path, config cfg);
    ~runtime();

    boost::asio::any_io_executor executor;
    std::string config_path;
    config cfg;
    net::challenge_store challenges;
    std::unique_ptr<net::server> public_server;
    std::unique_ptr<net::server> admin_server;
    // Shared so that a renewal running across a reload keeps a live object (reconfigure() rebuilds the list).
    std::vector<std::shared_ptr<certificate_status>> certificates;
    acme_stats acme;
    std::chrono::sys_seconds started_at;
    bool stopping = false;
    std::vector<std::function<void()>> on_stop;        // cancel timers, signal sets, loops
    std::vector<std::function<void(const config&)>> on_reload;  // applied after a good reload
    std::unique_ptr<renewal_manager> manager;          // the renewal loop (start_background)
    std::function<void()> hard_stop;                   // stops the io_context (after the grace period)

    // Starts the renewal manager (if any certificate is configured). Errors are logged.
    result<void> start_background();
    // Graceful stop: stop accepting, close idle connections, cancel loops; hard stop after a grace period.
    void stop(std::chrono::seconds grace = std::chrono::seconds(5));
    // Re-reads the configuration file; a bad file is rejected with a log line and the old one kept.
    void reload();
    // /metrics and /status on the admin listener.
    net::response_spec route_admin(std::string_view method, std::string_view target);

    int background_tasks = 0;                          // running loops/orders; stop() waits for them

private:
    void wait_for_drain();
    std::unique_ptr<boost::asio::steady_timer> grace_timer_;
    std::chrono::steady_clock::time_point grace_deadline_;
};

}  // namespace certman::app
