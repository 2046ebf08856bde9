// The control socket's listener (contract in include/certman/app/control_server.hpp).
#include "certman/app/control_server.hpp"
#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>
#include "certman/app/task_group.hpp"
#include "control_session.hpp"

namespace certman::app {
namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

bool control_peer_allowed(uid_t peer_uid, gid_t peer_gid, std::span<const gid_t> peer_groups, uid_t daemon_uid,
                          gid_t daemon_gid) {
    if (peer_uid == 0 || peer_uid == daemon_uid || peer_gid == daemon_gid) return true;
    return std::find(peer_groups.begin(), peer_groups.end(), daemon_gid) != peer_groups.end();
}

namespace {
// The peer's supplementary groups as they were at connect() (SO_PEERGROUPS, Linux 4.13+; socket(7)). Empty
// when the kernel cannot tell: the peer is then judged by its uid and primary gid alone.
std::vector<gid_t> peer_groups(int fd) {
#ifndef SO_PEERGROUPS
    constexpr int SO_PEERGROUPS = 59;  // include/uapi/asm-generic/socket.h
#endif
    std::vector<gid_t> groups(64);
    for (int attempt = 0; attempt < 2; ++attempt) {
        socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
            groups.resize(len / sizeof(gid_t));
            return groups;
        }
        // ERANGE: len says how much is needed, at most NGROUPS_MAX (65536) groups.
        if (errno != ERANGE || len / sizeof(gid_t) > 65536) break;
        groups.resize(len / sizeof(gid_t));
    }
    return {};
}

// Whether something accepts connections on the socket file at `path` (a running daemon). A refused or
// failed connect means the file is stale.
bool answers(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}
}  // namespace

control_server::control_server(runtime& rt, std::string path, asio::any_io_executor ex, task_group& tasks)
    : rt_(rt), path_(std::move(path)), executor_(std::move(ex)), tasks_(tasks),
      sessions_(std::make_shared<std::size_t>(0)) {}

control_server::~control_server() { stop(); }

std::optional<std::string> control_server::bind_socket() {
    if (path_.size() >= sizeof(sockaddr_un{}.sun_path)) return "the path is longer than a Unix socket path may be";
    struct stat st{};
    if (::lstat(path_.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) return "the path exists and is not a socket; remove it or choose another";
        if (answers(path_)) return "another process (a running certman?) answers on it";
        ::unlink(path_.c_str());  // stale: left by a daemon that did not stop cleanly
    }
    boost::system::error_code ec;
    auto acceptor = std::make_unique<stream::acceptor>(executor_);
    acceptor->open(stream(), ec);
    if (!ec) acceptor->bind(stream::endpoint(path_), ec);
    if (ec) return ec.message() + (ec == boost::system::errc::no_such_file_or_directory
                                       ? " (the directory is created by systemd's RuntimeDirectory=certman)" : "");
    // bind() created the file with the umask's mode, which at most lets the owner in; narrow it to the
    // documented mode before anyone is accepted.
    if (::chmod(path_.c_str(), 0660) != 0 || ::lstat(path_.c_str(), &st) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(path_.c_str());
        return "chmod: " + why;
    }
    acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        ::unlink(path_.c_str());
        return ec.message();
    }
    inode_ = st.st_ino;
    acceptor_ = std::move(acceptor);
    return std::nullopt;
}

std::optional<std::string> control_server::start() {
    if (path_.empty()) return std::nullopt;  // disabled
    if (auto e = bind_socket()) return "control socket " + path_ + ": " + *e;
    tasks_.spawn("control socket", run_accept());
    spdlog::info("control socket on {} (certman renew/revoke/reload/status talk to this daemon)", path_);
    return std::nullopt;
}

// Closes the acceptor but keeps the object: the pending accept's cancellation slot still refers to it until
// that operation completes (task_group's terminal cancellation may reach it after this), so it is freed only
// with the server, after the event loop has run its last handler (event_loop.hpp).
void control_server::stop() {
    if (!acceptor_ || !acceptor_->is_open()) return;
    boost::system::error_code ec;
    acceptor_->close(ec);
    struct stat st{};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_ino == inode_) ::unlink(path_.c_str());
}

asio::awaitable<void> control_server::run_accept() {
    const uid_t my_uid = ::geteuid();
    const gid_t my_gid = ::getegid();
    for (;;) {
        if (!acceptor_ || !acceptor_->is_open()) co_return;
        stream::socket s = co_await acceptor_->async_accept(asio::use_awaitable);  // throws when stopped
        if (*sessions_ >= max_sessions) {
            spdlog::warn("control socket: {} sessions already; closing a new connection", max_sessions);
            continue;
        }
        ucred peer{};
        socklen_t len = sizeof peer;
        if (::getsockopt(s.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 ||
            !control_peer_allowed(peer.uid, peer.gid, peer_groups(s.native_handle()), my_uid, my_gid)) {
            spdlog::warn("control socket: refused a connection from uid {} gid {} (only root and uid {} / gid {})",
                         peer.uid, peer.gid, my_uid, my_gid);
            tasks_.spawn("control refusal", refuse_control_session(std::move(s), my_uid, my_gid));
            continue;
        }
        ++*sessions_;
        tasks_.spawn("control session", run_control_session(rt_, std::move(s), sessions_));
    }
}

}  // namespace certman::app
