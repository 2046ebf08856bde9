// The one-shot subcommands: check-config, renew, revoke, status, import, account. Each returns an exit code (daemon.hpp).
#pragma once
#include <string>
#include <vector>

namespace certman::app {

struct renew_options {
    bool force = false;
    std::vector<std::string> names;  // empty = every configured certificate
};

int check_config_command(const std::string& config_path);
int renew_command(const std::string& config_path, const renew_options& options);
int revoke_command(const std::string& config_path, const std::string& name, const std::string& reason);
// `json`: the /status document's fields from storage (no daemon: uptime 0, no live counters).
int status_command(const std::string& config_path, bool json = false);

// `certman import` (import_command.cpp): name + (certbot_live | cert + key [+ chain]), and/or account.
struct import_options {
    std::string name;          // [[certificate]] name; empty with only --account
    std::string certbot_live;  // /etc/letsencrypt/live/NAME
    std::string cert, key, chain;
    std::string account;       // /etc/letsencrypt/accounts/<server path>/<id>
    bool replace = false;      // overwrite a different certificate / account key already in storage
};
int import_command(const std::string& config_path, const import_options& options);
// `certman account show|rollover` (account_commands.cpp).
int account_show_command(const std::string& config_path);
int account_rollover_command(const std::string& config_path);

}  // namespace certman::app
