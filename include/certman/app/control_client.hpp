// The CLI's side of the control socket (control_protocol.hpp): `certman renew/revoke/reload/status -c FILE`
// first ask the daemon that runs with FILE. Blocking POSIX I/O: the command has nothing else to do meanwhile.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include "certman/app/control_protocol.hpp"

namespace certman::app {

struct daemon_answer {
    bool reached = false;  // false: no daemon answers on the socket (absent, stale): run standalone
    bool other_config = false;  // a daemon answers, but runs with another configuration file
    control::reply final;  // when reached: the final line (or an error turned into one, exit code set)
};

// Sends `r` to the daemon on `socket_path`, calls `on_progress` with each progress text, and returns the
// final line. Errors become a final reply: permission denied on the socket (exit_denied), the daemon
// closing before its final line or sending something unreadable (exit_failed).
daemon_answer call_daemon(const std::string& socket_path, const control::request& r,
                          const std::function<void(const std::string&)>& on_progress);

// The control socket the daemon running with `config_path` listens on: [admin] control_socket of the
// file, read leniently (a file the daemon would refuse may still name it); the default when the file
// does not parse as TOML at all.
std::string control_socket_of(const std::string& config_path);

// The whole CLI path for renew/revoke/reload/status: asks the daemon, prints its progress lines and
// final message, returns the exit code; nullopt when no daemon runs with `config_path` (then renew,
// revoke and status run standalone). `json`: status prints the /status document as is.
std::optional<int> forward_to_daemon(const std::string& config_path, control::request r, bool json = false);

}  // namespace certman::app
