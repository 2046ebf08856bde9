// The daemon's control socket (protocol: control_protocol.hpp): a Unix stream socket at
// [admin] control_socket (default /run/certman/certman.sock), mode 0660, owned by the daemon's user and
// group. Each accepted connection is checked with SO_PEERCRED and SO_PEERGROUPS (unix(7), socket(7)): only
// uid 0, the daemon's uid, or a member of its group (primary or supplementary, as the socket file's 0660 mode
// lets in) are served; anyone else gets one refusal line and is closed. Connections are sessions spawned
// into the runtime's task_group, so the daemon's stop cancels them like every other task; at most
// max_sessions at once (more are closed at once).
// The socket file: a stale one (nothing answers on it) is removed at start; one that answers belongs to
// another daemon and is left alone (start fails); ours is removed at stop.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>

namespace certman::app {

class runtime;
class task_group;

// Pure: may a peer with these credentials (its supplementary groups in peer_groups) use a daemon running as
// (daemon_uid, daemon_gid)?
bool control_peer_allowed(uid_t peer_uid, gid_t peer_gid, std::span<const gid_t> peer_groups, uid_t daemon_uid,
                          gid_t daemon_gid);

class control_server {
public:
    static constexpr std::size_t max_sessions = 16;

    // `rt` is what the commands act on (control_commands.hpp); the socket is created at `path`, the accept
    // loop and the sessions run on `ex` in `tasks`. Each reference outlives the server.
    control_server(runtime& rt, std::string path, boost::asio::any_io_executor ex, task_group& tasks);
    ~control_server();
    control_server(const control_server&) = delete;
    control_server& operator=(const control_server&) = delete;

    // Creates the socket at `path` (disabled when empty) and spawns the accept loop into `tasks`.
    // Error: a message for the operator (another daemon answers there, the path is not a socket, the
    // directory is missing or not writable).
    std::optional<std::string> start();
    // Stops accepting and removes the socket file (if it is still ours). Sessions end by the runtime's
    // cancellation. Idempotent.
    void stop();
    const std::string& path() const { return path_; }

private:
    boost::asio::awaitable<void> run_accept();
    std::optional<std::string> bind_socket();

    runtime& rt_;
    std::string path_;
    boost::asio::any_io_executor executor_;
    task_group& tasks_;
    std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
    ino_t inode_ = 0;  // of the socket file we created, so stop() never removes a successor's
    std::shared_ptr<std::size_t> sessions_;  // running sessions (shared with them: they may outlive stop())
};

}  // namespace certman::app
