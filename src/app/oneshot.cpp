// The one-shot subcommands that talk to the CA: `renew` and `revoke`. Both run the public server on
// server.listen for the duration (HTTP-01 validation needs it) on the same single-threaded io_context.
#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/control_commands.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/event_loop.hpp"
#include "certman/app/hardening.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/public_server.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/app/state_owner.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
// Loads the config, starts the public server and the manager, runs `body`, returns its exit code.
template <class Body>
int with_runtime(const std::string& config_path, Body body) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        std::fprintf(stderr, "%s\n", e->message.c_str());
        return exit_config;
    }
    config cfg = std::move(std::get<config>(loaded));
    if (auto refusal = check_state_owner(cfg)) {
        std::fprintf(stderr, "certman: %s\n", refusal->c_str());
        return exit_usage;
    }
    setup_logging(cfg.log);
    disable_core_dumps();
    event_loop loop;  // declared before what its coroutines reference (event_loop.hpp)
    runtime rt(loop.executor(), loop.pool(), config_path, std::move(cfg));
    rt.arm_hard_stop = [&loop](std::chrono::steady_clock::duration d) { loop.arm_hard_stop(d); };
    if (auto r = start_public_server(rt); !r) {
        spdlog::error("cannot listen on {} (server.listen) to answer HTTP-01 challenges: {}; is `certman run` "
                      "already using it? (the daemon renews by itself)", rt.cfg.server.listen.to_string(), r.error().message());
        return exit_startup;
    }
    try {
        rt.manager = std::make_unique<renewal_manager>(rt);
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return exit_config;
    }
    int rc = exit_failed;
    rt.tasks.spawn("command", [](runtime& rt, Body& body, int& rc) -> asio::awaitable<void> {
        try {
            co_await body(rt, rc);
        } catch (const std::exception& e) {
            spdlog::critical("{}", e.what());
        }
        rt.stop(std::chrono::seconds(2));
    }(rt, body, rc));
    loop.run();
    return rc;
}
}  // namespace

int renew_command(const std::string& config_path, const renew_options& options) {
    return with_runtime(config_path, [&](runtime& rt, int& rc) -> asio::awaitable<void> {
        for (const auto& n : options.names)
            if (!rt.cfg.find_certificate(n)) {
                std::fprintf(stderr, "%s: no [[certificate]] named \"%s\"\n", config_path.c_str(), n.c_str());
                rc = exit_usage;
                co_return;
            }
        auto results = co_await rt.manager->run_pass(options.force, options.names);
        bool all = true;
        for (const auto& r : results) {
            std::printf("%s %s\n", r.ok ? "ok  " : "FAIL", r.line.c_str());
            all = all && r.ok;
        }
        std::fflush(stdout);
        rc = all ? exit_ok : exit_failed;
    });
}

int revoke_command(const std::string& config_path, const std::string& name, const std::string& reason) {
    return with_runtime(config_path, [&](runtime& rt, int& rc) -> asio::awaitable<void> {
        const auto out = co_await run_revoke_stored(rt, name, reason);
        std::fprintf(out.exit_code == exit_ok ? stdout : stderr, "%s\n", out.message.c_str());
        rc = out.exit_code;
    });
}
}  // namespace certman::app
