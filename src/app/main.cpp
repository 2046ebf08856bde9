// certman's command line (CLI11). Each subcommand maps to one function in the app layer; exit codes are
// documented in README.md and in app/daemon.hpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/control_client.hpp"
#include "certman/app/daemon.hpp"
#include "certman/version.hpp"
#include "cli_import_account.hpp"

namespace {
// The command through the daemon running with `config_path`, else `standalone()` (control_client.hpp).
template <class Standalone>
int daemon_or(const std::string& config_path, certman::app::control::request r, bool json, Standalone standalone) {
    if (auto rc = certman::app::run_through_daemon(config_path, std::move(r), json)) return *rc;
    return standalone();
}
}  // namespace

int main(int argc, char** argv) {
    using namespace certman::app;
    CLI::App app{"certman: keeps a load balancer's HTTPS certificate valid (ACME, HTTP-01), with no human in the loop"};
    app.set_version_flag("--version,-V", std::string("certman ") + certman::version);
    app.require_subcommand(1);
    std::string config_path = "/etc/certman/certman.toml";

    auto* run = app.add_subcommand("run", "Run the daemon: challenge/health server, renewal loop, deploys");
    run->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    run->footer("Example: certman run -c /etc/certman/certman.toml   (systemd: deploy/systemd/certman.service)");

    auto* check = app.add_subcommand("check-config", "Validate the configuration and print it resolved (secrets masked)");
    check->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    check->footer("Example: certman check-config -c /etc/certman/certman.toml");

    renew_options ro;
    auto* renew = app.add_subcommand("renew", "Obtain what is missing or due now, store and deploy it; through the "
                                              "running daemon when its control socket answers, else standalone");
    renew->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    renew->add_flag("--force", ro.force, "Renew now even if not due, ignoring backoff");
    renew->add_option("names", ro.names, "Certificate names (default: all)");
    renew->footer("Example: certman renew -c /etc/certman/certman.toml --force www\n"
                  "Exit codes: 0 all ok, 1 bad configuration, 2 usage, 3 cannot start, 4 a certificate failed, "
                  "5 the daemon refused this user");

    std::string revoke_name, revoke_reason = "unspecified";
    auto* revoke = app.add_subcommand("revoke", "Revoke the stored certificate NAME at the CA (RFC 8555 7.6); through "
                                                "the running daemon when its control socket answers");
    revoke->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    revoke->add_option("name", revoke_name, "Certificate name")->required();
    revoke->add_option("--reason", revoke_reason, "unspecified|keyCompromise|superseded|cessationOfOperation")
        ->check(CLI::IsMember({"unspecified", "keyCompromise", "superseded", "cessationOfOperation"}));
    revoke->footer("Example: certman revoke -c /etc/certman/certman.toml www --reason superseded");

    auto* reload = app.add_subcommand("reload", "Make the running daemon re-read its configuration (as SIGHUP); "
                                                "prints why a new configuration is refused");
    reload->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    reload->footer("Example: certman reload -c /etc/certman/certman.toml\n"
                   "Exit codes: 0 reloaded, 1 refused (the daemon keeps its configuration), 3 no daemon answers, "
                   "5 the daemon refused this user");

    bool status_json = false;
    auto* status = app.add_subcommand("status", "Show each certificate's state: live from the running daemon, else "
                                                "from storage");
    status->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    status->add_flag("--json", status_json, "Print the /status document (JSON) instead of a table");
    status->footer("Example: certman status -c /etc/certman/certman.toml --json | jq '.certificates[].not_after'");

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
        if (*renew) return daemon_or(config_path, {control::command::renew, ro.names, ro.force, "unspecified", ""}, false,
                                     [&] { return renew_command(config_path, ro); });
        if (*revoke) return daemon_or(config_path, {control::command::revoke, {revoke_name}, false, revoke_reason, ""},
                                      false, [&] { return revoke_command(config_path, revoke_name, revoke_reason); });
        if (*reload) return daemon_or(config_path, {control::command::reload, {}, false, "unspecified", ""}, false, [&] {
            std::fprintf(stderr, "certman: no daemon answers on %s (is `certman run -c %s` running?)\n",
                         control_socket_of(config_path).c_str(), config_path.c_str());
            return int(exit_startup);
        });
        if (auto rc = import_account.run()) return *rc;
        if (*status) return daemon_or(config_path, {control::command::status, {}, false, "unspecified", ""}, status_json,
                                      [&] { return status_command(config_path, status_json); });
    } catch (const std::exception& e) {
        spdlog::critical("unexpected error: {}", e.what());
        return exit_failed;
    }
    return exit_usage;
}
