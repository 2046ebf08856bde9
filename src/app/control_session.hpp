// Internal to the app layer: one connection on the control socket (control_server.hpp). The session reads
// up to control::max_requests request lines, each within control::request_timeout, runs each command
// (control_commands.hpp) while writing its progress lines, and ends with the command's final line.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstddef>
#include <memory>
#include <sys/types.h>

namespace certman::app {

class runtime;

// `sessions` counts running sessions; the session decrements it when it ends.
boost::asio::awaitable<void> run_control_session(runtime& rt, boost::asio::local::stream_protocol::socket s,
                                                 std::shared_ptr<std::size_t> sessions);
// Writes the refusal line for a peer that is neither root, the daemon's user nor in its group, then closes.
boost::asio::awaitable<void> refuse_control_session(boost::asio::local::stream_protocol::socket s, uid_t daemon_uid,
                                                     gid_t daemon_gid);

}  // namespace certman::app
