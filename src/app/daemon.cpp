#include "certman/app/daemon.hpp"
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>
#include "certman/app/config_parser.hpp"
#include "certman/app/event_loop.hpp"
#include "certman/app/hardening.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/runtime.hpp"
#include "certman/app/systemd_notify.hpp"
#include "certman/net/trust_store.hpp"
#include "certman/version.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
// Sends WATCHDOG=1 at half the interval systemd asked for; does nothing outside systemd. Ends when cancelled.
asio::awaitable<void> run_watchdog() {
    const auto interval = systemd_watchdog_interval();
    if (!interval) co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        notify_systemd("WATCHDOG=1");
        timer.expires_after(*interval / 2);
        co_await timer.async_wait(asio::use_awaitable);  // throws operation_aborted when cancelled
    }
}

// SIGTERM/SIGINT: graceful stop; SIGHUP: reload. Ends when cancelled (the stop cancels every task).
// `signals` is set up before the listeners start: a SIGHUP that arrives once the port answers must never meet
// the default action (terminate); Asio queues it until the first async_wait.
asio::awaitable<void> run_signals(runtime& rt, asio::signal_set& signals) {
    for (;;) {
        int sig = co_await signals.async_wait(asio::use_awaitable);  // throws operation_aborted when cancelled
        if (sig == SIGHUP) {
            notify_systemd("RELOADING=1");
            rt.reload();
            notify_systemd("READY=1");
        } else {
            spdlog::info("received {}: stopping (in-flight responses finish, then exit)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
            notify_systemd("STOPPING=1");
            rt.stop();
        }
    }
}
}  // namespace

int run_daemon(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        spdlog::error("{}", e->message);
        return exit_config;
    }
    config cfg = std::move(std::get<config>(loaded));
    setup_logging(cfg.log);
    disable_core_dumps();
    // The system's root certificates are parsed here, once, before the listeners serve: every HTTPS client built
    // later (at start and on each reload) shares them instead of parsing them on the io thread
    // (net/trust_store.hpp).
    net::load_system_trust_store();

    event_loop loop;  // declared before what its coroutines reference (event_loop.hpp)
    runtime rt(loop.executor(), loop.pool(), config_path, std::move(cfg));
    rt.set_hard_stop([&loop](std::chrono::steady_clock::duration d) { loop.arm_hard_stop(d); });
    asio::signal_set signals(loop.executor(), SIGTERM, SIGINT, SIGHUP);

    if (auto r = rt.serve_public(); !r) {
        spdlog::error("cannot listen on {} (server.listen): {}; is another process using the port?",
                      rt.cfg().server.listen.to_string(), r.error().message());
        return exit_startup;
    }
    if (auto r = rt.serve_admin(); !r) {
        spdlog::error("cannot listen on {} (admin.listen): {}", rt.cfg().admin.listen.to_string(), r.error().message());
        return exit_startup;
    }
    if (auto e = rt.open_control_socket())  // the daemon's job goes on without it; the CLI then runs standalone
        spdlog::warn("{}; `certman renew/reload/status` cannot reach this daemon", *e);
    rt.spawn("signal handler", run_signals(rt, signals));
    rt.spawn("watchdog", run_watchdog());
    if (auto r = rt.start_background(); !r) return exit_startup;

    spdlog::info("certman {} serving /health and ACME challenges on {}", certman::version, rt.listening_on());
    notify_systemd("READY=1");
    loop.run();
    spdlog::info("stopped");
    return exit_ok;
}
}  // namespace certman::app
