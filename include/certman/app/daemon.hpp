// `certman run`: one io_context, one thread. Starts the public server (challenges + /health), the admin
// server (/metrics, /status), signal handling (SIGTERM/SIGINT: graceful stop; SIGHUP: reload), systemd
// notifications, and the renewal manager.
#pragma once
#include <string>

namespace certman::app {

// Exit codes (documented in README.md).
enum exit_code : int {
    exit_ok = 0,
    exit_config = 1,      // the configuration is invalid
    exit_usage = 2,       // bad command line
    exit_startup = 3,     // could not start (port in use, storage unusable, CA directory unreachable at startup)
    exit_failed = 4,      // the operation ran but something failed (a certificate could not be obtained/deployed)
    exit_denied = 5,      // the daemon's control socket refused the caller (neither root nor certman's user)
};

int run_daemon(const std::string& config_path);

}  // namespace certman::app
