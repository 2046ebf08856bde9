#include "cli_import_account.hpp"
#include <cstdio>
#include "certman/app/daemon.hpp"

namespace certman::app {

CLI::App* add_config_command(CLI::App& parent, std::string& config_path, std::string name, std::string description,
                             std::string footer) {
    auto* c = parent.add_subcommand(std::move(name), std::move(description));
    c->add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    c->footer(std::move(footer));
    return c;
}

import_account_cli::import_account_cli(CLI::App& app, std::string& config_path) : config_path_(config_path) {
    import_cmd_ = add_config_command(app, config_path, "import",
        "Take an existing certificate (certbot's or PEM files) and/or certbot's ACME account into storage; renewed "
        "later on the normal schedule",
        "Examples:\n  certman import -c /etc/certman/certman.toml --name www --certbot-live /etc/letsencrypt/live/www.example.com \\\n"
        "      --account /etc/letsencrypt/accounts/acme-v02.api.letsencrypt.org/directory/0123abcd\n"
        "  certman import -c /etc/certman/certman.toml --name www --cert cert.pem --key key.pem --chain chain.pem");
    auto* c = import_cmd_;
    c->add_option("--name", import_.name, "The [[certificate]] to import into");
    auto* live = c->add_option("--certbot-live", import_.certbot_live, "certbot's live/NAME directory (cert.pem, privkey.pem, chain.pem)");
    auto* cert = c->add_option("--cert", import_.cert, "Leaf certificate PEM (further certificates in it are the chain)");
    c->add_option("--key", import_.key, "Private key PEM of the certificate")->needs(cert);
    c->add_option("--chain", import_.chain, "Issuer certificates PEM, leaf's issuer first (a root at the end is accepted)")->needs(cert);
    c->add_option("--account", import_.account, "certbot's accounts/<server>/directory/<id> directory: import that ACME account");
    c->add_flag("--replace", import_.replace, "Overwrite a different certificate or account key already in storage");
    live->excludes(cert);

    auto* account = app.add_subcommand("account", "Show the ACME account or roll its key over (RFC 8555 §7.3.5)");
    account->require_subcommand(1);
    account->footer("Examples:\n  certman account show -c /etc/certman/certman.toml\n"
                    "  certman account rollover -c /etc/certman/certman.toml");
    show_cmd_ = add_config_command(*account, config_path, "show",
        "Print the account URL, status, contact and key thumbprint (no secrets)",
        "Example:\n  certman account show -c /etc/certman/certman.toml");
    rollover_cmd_ = add_config_command(*account, config_path, "rollover",
        "Replace the account key at the CA and in storage (crash-safe)",
        "Example:\n  certman account rollover -c /etc/certman/certman.toml");
}

std::optional<int> import_account_cli::run() const {
    if (*show_cmd_) return account_show_command(config_path_);
    if (*rollover_cmd_) return account_rollover_command(config_path_);
    if (!*import_cmd_) return std::nullopt;
    const auto& o = import_;
    const char* missing = o.name.empty() && o.account.empty() ? "--name NAME (with the certificate's files) or --account DIR"
                          : !o.name.empty() && o.certbot_live.empty() && (o.cert.empty() || o.key.empty())
                              ? "--certbot-live DIR, or --cert FILE and --key FILE"
                              : nullptr;
    if (missing) {
        std::fprintf(stderr, "certman import: give %s (certman import --help)\n", missing);
        return exit_usage;
    }
    return import_command(config_path_, o);
}

}  // namespace certman::app
