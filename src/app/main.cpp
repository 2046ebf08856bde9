// certman's command line (CLI11). Each subcommand maps to one function in the app layer; exit codes are
// documented in README.md and in app/daemon.hpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/daemon.hpp"
#include "certman/version.hpp"
#include "cli_import_account.hpp"

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

    renew_options ro;
    auto* renew = app.add_subcommand("renew", "Obtain what is missing or due now, store and deploy it, then exit");
    renew->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    renew->add_flag("--force", ro.force, "Renew now even if not due, ignoring backoff");
    renew->add_option("names", ro.names, "Certificate names (default: all)");

    std::string revoke_name, revoke_reason = "unspecified";
    auto* revoke = app.add_subcommand("revoke", "Revoke the stored certificate NAME at the CA");
    revoke->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    revoke->add_option("name", revoke_name, "Certificate name")->required();
    revoke->add_option("--reason", revoke_reason, "unspecified|keyCompromise|superseded|cessationOfOperation")
        ->check(CLI::IsMember({"unspecified", "keyCompromise", "superseded", "cessationOfOperation"}));

    auto* status = app.add_subcommand("status", "Show each certificate's state from storage (no daemon needed)");
    status->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();

    import_account_cli import_account(app, config_path);  // import, account show|rollover

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    try {
        if (*run) return run_daemon(config_path);
        if (*check) return check_config_command(config_path);
        if (*renew) return renew_command(config_path, ro);
        if (*revoke) return revoke_command(config_path, revoke_name, revoke_reason);
        if (*status) return status_command(config_path);
        if (auto rc = import_account.run()) return *rc;
    } catch (const std::exception& e) {
        spdlog::critical("unexpected error: {}", e.what());
        return exit_failed;
    }
    return exit_usage;
}
