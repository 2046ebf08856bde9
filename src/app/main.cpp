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
using namespace certman::app;

// What the command line set, and which subcommand was chosen.
struct cli_state {
    std::string config_path = "/etc/certman/certman.toml";
    renew_options ro;
    std::string revoke_name, revoke_reason = "unspecified";
    bool status_json = false;
    CLI::App* run = nullptr;
    CLI::App* check = nullptr;
    CLI::App* renew = nullptr;
    CLI::App* revoke = nullptr;
    CLI::App* reload = nullptr;
    CLI::App* status = nullptr;
};

// The command through the daemon running with `config_path`, else `standalone()` (control_client.hpp).
template <class Standalone>
int daemon_or(const std::string& config_path, control::request r, bool json, Standalone standalone) {
    if (auto rc = forward_to_daemon(config_path, std::move(r), json)) return *rc;
    return standalone();
}

// run and check-config: never through the daemon.
void add_local_commands(CLI::App& app, cli_state& s) {
    s.run = add_config_command(app, s.config_path, "run", "Run the daemon: challenge/health server, renewal loop, deploys",
        "Example: certman run -c /etc/certman/certman.toml   (systemd: deploy/systemd/certman.service)");
    s.check = add_config_command(app, s.config_path, "check-config",
        "Validate the configuration and print it resolved (secrets masked)",
        "Example: certman check-config -c /etc/certman/certman.toml");
}

// renew and revoke: through the daemon when its control socket answers, else standalone.
void add_certificate_commands(CLI::App& app, cli_state& s) {
    s.renew = add_config_command(app, s.config_path, "renew",
        "Obtain what is missing or due now, store and deploy it; through the running daemon when its control "
        "socket answers, else standalone",
        "Example: certman renew -c /etc/certman/certman.toml --force www\n"
        "Exit codes: 0 all ok, 1 bad configuration, 2 usage, 3 cannot start, 4 a certificate failed, "
        "5 the daemon refused this user");
    s.renew->add_flag("--force", s.ro.force, "Renew now even if not due, ignoring backoff");
    s.renew->add_option("names", s.ro.names, "Certificate names (default: all)");

    s.revoke = add_config_command(app, s.config_path, "revoke",
        "Revoke the stored certificate NAME at the CA (RFC 8555 7.6); through the running daemon when its control "
        "socket answers",
        "Example: certman revoke -c /etc/certman/certman.toml www --reason superseded");
    s.revoke->add_option("name", s.revoke_name, "Certificate name")->required();
    s.revoke->add_option("--reason", s.revoke_reason, "unspecified|keyCompromise|superseded|cessationOfOperation")
        ->check(CLI::IsMember({"unspecified", "keyCompromise", "superseded", "cessationOfOperation"}));
}

// reload (needs the daemon) and status (live from the daemon, else from storage).
void add_daemon_commands(CLI::App& app, cli_state& s) {
    s.reload = add_config_command(app, s.config_path, "reload",
        "Make the running daemon re-read its configuration (as SIGHUP); prints why a new configuration is refused",
        "Example: certman reload -c /etc/certman/certman.toml\n"
        "Exit codes: 0 reloaded, 1 refused (the daemon keeps its configuration), 3 no daemon answers, "
        "5 the daemon refused this user");
    s.status = add_config_command(app, s.config_path, "status",
        "Show each certificate's state: live from the running daemon, else from storage",
        "Example: certman status -c /etc/certman/certman.toml --json | jq '.certificates[].not_after'");
    s.status->add_flag("--json", s.status_json, "Print the /status document (JSON) instead of a table");
}

// Runs the chosen subcommand; its exit code (README.md "Exit codes").
int dispatch(const cli_state& s, import_account_cli& import_account) {
    const auto& path = s.config_path;
    if (*s.run) return run_daemon(path);
    if (*s.check) return check_config_command(path);
    if (*s.renew)
        return daemon_or(path, {control::command::renew, s.ro.names, s.ro.force, "unspecified", ""}, false,
                         [&] { return renew_command(path, s.ro); });
    if (*s.revoke)
        return daemon_or(path, {control::command::revoke, {s.revoke_name}, false, s.revoke_reason, ""}, false,
                         [&] { return revoke_command(path, s.revoke_name, s.revoke_reason); });
    if (*s.reload)
        return daemon_or(path, {control::command::reload, {}, false, "unspecified", ""}, false, [&] {
            std::fprintf(stderr, "certman: no daemon answers on %s (is `certman run -c %s` running?)\n",
                         control_socket_of(path).c_str(), path.c_str());
            return int(exit_startup);
        });
    if (auto rc = import_account.run()) return *rc;
    if (*s.status)
        return daemon_or(path, {control::command::status, {}, false, "unspecified", ""}, s.status_json,
                         [&] { return status_command(path, s.status_json); });
    return exit_usage;
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"certman: keeps a load balancer's HTTPS certificate valid (ACME, HTTP-01), with no human in the loop"};
    app.set_version_flag("--version,-V", std::string("certman ") + certman::version);
    app.require_subcommand(1);
    cli_state s;
    add_local_commands(app, s);
    add_certificate_commands(app, s);
    add_daemon_commands(app, s);
    import_account_cli import_account(app, s.config_path);  // import, account show|rollover
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    try {
        return dispatch(s, import_account);
    } catch (const std::exception& e) {
        spdlog::critical("unexpected error: {}", e.what());
        return exit_failed;
    }
}
