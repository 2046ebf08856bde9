// The one-shot subcommands: check-config, renew, revoke, status. Each returns an exit code (daemon.hpp).
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

}  // namespace certman::app
