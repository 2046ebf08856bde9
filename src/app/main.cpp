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

    import_options io;
    auto* import_cmd = app.add_subcommand("import", "Take an existing certificate (certbot's or PEM files) and/or certbot's "
                                                "ACME account into storage; renewed later on the normal schedule");
    import_cmd->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    import_cmd->add_option("--name", io.name, "The [[certificate]] to import into");
    auto* live = import_cmd->add_option("--certbot-live", io.certbot_live, "certbot's live/NAME directory (cert.pem, privkey.pem, chain.pem)");
    auto* cert_file = import_cmd->add_option("--cert", io.cert, "Leaf certificate PEM (further certificates in it are the chain)");
    import_cmd->add_option("--key", io.key, "Private key PEM of the certificate")->needs(cert_file);
    import_cmd->add_option("--chain", io.chain, "Issuer certificates PEM, leaf's issuer first (a root at the end is accepted)")->needs(cert_file);
    import_cmd->add_option("--account", io.account, "certbot's accounts/<server>/directory/<id> directory: import that ACME account");
    import_cmd->add_flag("--replace", io.replace, "Overwrite a different certificate or account key already in storage");
    live->excludes(cert_file);
    import_cmd->footer("Examples:\n  certman import -c /etc/certman/certman.toml --name www --certbot-live /etc/letsencrypt/live/www.example.com \\\n"
                   "      --account /etc/letsencrypt/accounts/acme-v02.api.letsencrypt.org/directory/0123abcd\n"
                   "  certman import -c /etc/certman/certman.toml --name www --cert cert.pem --key key.pem --chain chain.pem");

    auto* account = app.add_subcommand("account", "Show the ACME account or roll its key over (RFC 8555 §7.3.5)");
    account->require_subcommand(1);
    auto* account_show = account->add_subcommand("show", "Print the account URL, status, contact and key thumbprint (no secrets)");
    account_show->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    account_show->footer("Example:\n  certman account show -c /etc/certman/certman.toml");
    auto* rollover = account->add_subcommand("rollover", "Replace the account key at the CA and in storage (crash-safe)");
    rollover->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    rollover->footer("Example:\n  certman account rollover -c /etc/certman/certman.toml && systemctl reload certman");

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
        if (*import_cmd) {
            const char* missing = io.name.empty() && io.account.empty() ? "--name NAME (with the certificate's files) or --account DIR"
                                  : !io.name.empty() && io.certbot_live.empty() && (io.cert.empty() || io.key.empty())
                                      ? "--certbot-live DIR, or --cert FILE and --key FILE" : nullptr;
            if (missing) {
                std::fprintf(stderr, "certman import: give %s (certman import --help)\n", missing);
                return exit_usage;
            }
            return import_command(config_path, io);
        }
        if (*account_show) return account_show_command(config_path);
        if (*rollover) return account_rollover_command(config_path);
    } catch (const std::exception& e) {
        spdlog::critical("unexpected error: {}", e.what());
        return exit_failed;
    }
    return exit_usage;
}
