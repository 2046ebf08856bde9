// Internal to the app layer: runs one command body against storage and the CA without the public server
// (`certman import`, `certman account ...`): these never answer HTTP-01 challenges, so they never compete with
// a running daemon for server.listen. The body gets the runtime (config, renewal manager for storage and the
// ACME client) and sets the exit code.
#pragma once
#include <chrono>
#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/config_parser.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/event_loop.hpp"
#include "certman/app/hardening.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/app/runtime.hpp"
#include "certman/app/state_owner.hpp"

namespace certman::app {

template <class Body>
int run_offline_command(const std::string& config_path, Body body) {
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
    try {
        rt.manager = std::make_unique<renewal_manager>(rt);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return exit_config;
    }
    int rc = exit_failed;
    rt.tasks.spawn("command", [](runtime& rt, Body& body, int& rc) -> boost::asio::awaitable<void> {
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

}  // namespace certman::app
