// certman's command line (CLI11). Each subcommand maps to one function in the app layer; exit codes are
// documented in README.md and in app/daemon.hpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/daemon.hpp"
#include "certman/version.hpp"

int main(int argc, char** argv) {
    using namespace certman::app;
    CLI::App app{"certman: keeps a load balancer's HTTPS certificate valid (ACME, HTTP-01), with no human in the loop"};
    app.set_version_flag("--version,-V", std::string("certman ") + certman::version);
    app.require_subcommand(1);
    std::string config_path = "/etc/certman/certman.toml";

    auto* run = app.add_subcommand("run", "Run the daemon: challenge/health server, renewal loop, deploys");
    run->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();

    auto* check = app.add_subcommand("check-config", "Validate the configuration and print it resolved (secrets masked)");
    check->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    try {
        if (*run) return run_daemon(config_path);
        if (*check) return check_config_command(config_path);
    } catch (const std::exception& e) {
        spdlog::critical("unexpected error: {}", e.what());
        return exit_failed;
    }
    return exit_usage;
}
