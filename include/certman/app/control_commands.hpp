// What the control socket's commands do inside the running daemon (control_protocol.hpp for the wire):
//  - renew: the named certificates (default: all), one after the other, through the same per-certificate
//    pass as the renewal loop (a certificate already being ordered answers "an order is already running");
//  - revoke: the stored certificate at the CA (RFC 8555 §7.6), with the account of the running daemon;
//  - reload: the SIGHUP path (runtime::reload), whose refusal is returned to the caller;
//  - status: the /status document, live.
// A renew's progress comes from the pass itself (renewal_manager::run_renew_now, renew_progress below), so
// a caller sees the steps of its own certificates only.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// A renew's progress for the caller, fed by renewal_manager::run_renew_now's callback (step lines, then the
// pass's result line): each step goes to `sink` as "certificate <line>" (which certificate, which step, which
// deployer; on error the message and what to do), and the result line is held back, since finish() writes it
// with the outcome in front ("ok   <line>" or "FAIL <line>"). Pure.
class renew_progress {
public:
    explicit renew_progress(progress_sink sink) : sink_(std::move(sink)) {}
    void operator()(const std::string& line);
    void finish(bool ok, const std::string& result_line);

private:
    progress_sink sink_;
    std::optional<std::string> held_;  // the latest line: a step, or the result if no other line follows
};

}  // namespace certman::app
