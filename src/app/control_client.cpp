// The CLI's side of the control socket (contract in include/certman/app/control_client.hpp).
#include "certman/app/control_client.hpp"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/socket.h>
#include <sys/un.h>
#include <boost/json/serialize.hpp>
#include <toml++/toml.h>
#include <unistd.h>
#include "certman/app/config.hpp"
#include "certman/app/daemon.hpp"
#include "control_status_table.hpp"

namespace certman::app {

namespace {
control::reply failure(int code, std::string message) {
    control::reply r;
    r.done = true;
    r.exit_code = code;
    r.text = std::move(message);
    return r;
}

bool send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads reply lines until the final one.
control::reply read_replies(int fd, const std::function<void(const std::string&)>& on_progress) {
    control::line_splitter lines(control::max_reply_line_bytes);  // `status` replies grow with the certificates
    char buf[4096];
    for (;;) {
        while (auto line = lines.next()) {
            auto parsed = control::parse_reply(*line);
            if (!parsed)
                return failure(exit_failed, "the daemon sent an unreadable reply (" + parsed.error().message() +
                                                "); are certman and the daemon the same version?");
            auto& r = *parsed;
            if (r.done) return r;
            on_progress(r.text);
        }
        if (lines.overflowed()) return failure(exit_failed, "the daemon sent a line longer than the protocol allows");
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return failure(exit_failed, "the daemon closed the connection before the end (did it stop?); check its "
                                        "log, then run the command again");
        lines.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
}
}  // namespace

daemon_answer call_daemon(const std::string& socket_path, const control::request& r,
                          const std::function<void(const std::string&)>& on_progress) {
    daemon_answer out;
    sockaddr_un addr{};
    if (socket_path.empty() || socket_path.size() >= sizeof addr.sun_path) return out;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return out;
    struct closer { int fd; ~closer() { ::close(fd); } } closed{fd};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EACCES && errno != EPERM) return out;  // nothing there, or a stale file: no daemon
        out.reached = true;
        out.final = failure(exit_denied, "permission denied on " + socket_path + ": a daemon runs, and only root "
                                         "or certman's user may talk to it (sudo -u certman ...)");
        return out;
    }
    out.reached = true;
    if (!send_all(fd, control::to_line(r))) {
        out.final = failure(exit_failed, "cannot send the request to the daemon on " + socket_path + ": " + std::strerror(errno));
        return out;
    }
    out.final = read_replies(fd, on_progress);
    out.other_config = out.final.exit_code == exit_usage && out.final.data && out.final.data->is_object() &&
                       out.final.data->as_object().contains("config");
    return out;
}

std::string control_socket_of(const std::string& config_path) {
    const std::string fallback = admin_config{}.control_socket;
    try {
        const toml::table root = toml::parse_file(config_path);
        if (auto v = root["admin"]["control_socket"].value<std::string>()) return *v;
    } catch (const std::exception&) {
    }
    return fallback;
}

std::optional<int> forward_to_daemon(const std::string& config_path, control::request r, bool json) {
    std::error_code ec;
    r.config = std::filesystem::absolute(config_path, ec).string();
    const auto socket = control_socket_of(config_path);
    auto answer = call_daemon(socket, r, [](const std::string& line) {
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    });
    if (!answer.reached) return std::nullopt;
    if (answer.other_config) {
        std::fprintf(stderr, "certman: %s; running without it\n", answer.final.text.c_str());
        return std::nullopt;
    }
    const auto& f = answer.final;
    if (r.cmd == control::command::status && f.exit_code == exit_ok && f.data) {
        if (json) std::printf("%s\n", boost::json::serialize(*f.data).c_str());
        else return print_live_status(*f.data);
        return exit_ok;
    }
    if (!f.text.empty()) std::fprintf(f.exit_code == exit_ok ? stdout : stderr, "%s%s\n",
                                      f.exit_code == exit_ok ? "" : "certman: ", f.text.c_str());
    return f.exit_code;
}

}  // namespace certman::app
