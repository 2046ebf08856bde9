// Internal to the app layer: runs one command body on a runtime of its own (config, renewal manager for storage
// and the ACME client) and returns the exit code the body sets. `renew` and `revoke` standalone (oneshot.cpp)
// serve HTTP-01 challenges on server.listen meanwhile; `certman import` and `certman account ...` never answer
// challenges (run_offline_command), so they never compete with a running daemon for server.listen.
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
int run_with_runtime(const std::string& config_path, bool serve_challenges, Body body) {
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
    rt.set_hard_stop([&loop](std::chrono::steady_clock::duration d) { loop.arm_hard_stop(d); });
    if (serve_challenges)
        if (auto r = rt.serve_public(); !r) {
            spdlog::error("cannot listen on {} (server.listen) to answer HTTP-01 challenges: {}; is `certman run` "
                          "already using it? (the daemon renews by itself)", rt.cfg().server.listen.to_string(),
                          r.error().message());
            return exit_startup;
        }
    try {
        rt.create_manager();
    } catch (const std::exception& e) {
        if (serve_challenges) spdlog::error("{}", e.what());
        else std::fprintf(stderr, "%s\n", e.what());
        return exit_config;
    }
    int rc = exit_failed;
    rt.spawn("command", [](runtime& rt, Body& body, int& rc) -> boost::asio::awaitable<void> {
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

template <class Body>
int run_offline_command(const std::string& config_path, Body body) {
    return run_with_runtime(config_path, false, std::move(body));
}

}  // namespace certman::app
