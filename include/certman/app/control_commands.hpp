// What the control socket's commands do inside the running daemon (control_protocol.hpp for the wire):
//  - renew: the named certificates (default: all), one after the other, through the same per-certificate
//    pass as the renewal loop (a certificate already being ordered answers "an order is already running");
//  - revoke: the stored certificate at the CA (RFC 8555 §7.6), with the account of the running daemon;
//  - reload: the SIGHUP path (runtime::reload), whose refusal is returned to the caller;
//  - status: the /status document, live.
// Progress is the daemon's own log lines about the certificates concerned ("certificate NAME: ..."), as
// they are logged: which step, which deployer, the error with what to do.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/app/control_protocol.hpp"

namespace certman::app {

class runtime;

struct command_outcome {
    int exit_code = 0;  // daemon.hpp
    std::string message;
    std::optional<boost::json::value> data;
};

using progress_sink = std::function<void(std::string_view line)>;

// Runs `r` in the daemon. Never throws for expected failures (they become the outcome); cancellation (the
// daemon stopping) ends a renewal through its normal failure path.
boost::asio::awaitable<command_outcome> handle_control_command(runtime& rt, const control::request& r,
                                                            const progress_sink& progress);

// Revokes the stored certificate `name` (shared by `certman revoke` with and without a daemon).
boost::asio::awaitable<command_outcome> revoke_stored(runtime& rt, const std::string& name, const std::string& reason);

// While alive, the daemon's log lines about `names` (all certificates when empty) go to `sink` too
// (posted to the runtime's executor; the sink is called on it).
class log_subscription {
public:
    log_subscription(runtime& rt, std::vector<std::string> names, progress_sink sink);
    ~log_subscription();
    log_subscription(const log_subscription&) = delete;
    log_subscription& operator=(const log_subscription&) = delete;
    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

// Adds the sink that feeds log_subscriptions to the default logger. Call once at startup, before other
// threads log (a logger's sink list is not thread-safe to change); later calls do nothing.
void install_log_forwarding();

// Pure: whether a log message is about one of `names` ("certificate NAME: ...", "certificate NAME ...").
bool log_line_concerns(std::string_view message, const std::vector<std::string>& names);

}  // namespace certman::app
