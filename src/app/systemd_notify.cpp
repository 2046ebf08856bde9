#include "certman/app/systemd_notify.hpp"
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace certman::app {
namespace {
std::optional<unsigned long long> env_number(const char* name) noexcept {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    unsigned long long n = 0;
    auto end = v + std::strlen(v);
    auto [p, ec] = std::from_chars(v, end, n);
    if (ec != std::errc{} || p != end) return std::nullopt;
    return n;
}
}  // namespace

bool notify_systemd(std::string_view state) noexcept {
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (!path || !*path) return false;
    const std::size_t len = std::strlen(path);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if ((path[0] != '/' && path[0] != '@') || len >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path, path, len);
    if (path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
    const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);

    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const auto sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                               reinterpret_cast<const sockaddr*>(&addr), addr_len);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

std::optional<std::chrono::microseconds> systemd_watchdog_interval() noexcept {
    auto usec = env_number("WATCHDOG_USEC");
    if (!usec || *usec == 0) return std::nullopt;
    if (std::getenv("WATCHDOG_PID")) {
        auto pid = env_number("WATCHDOG_PID");
        if (!pid || *pid != static_cast<unsigned long long>(::getpid())) return std::nullopt;
    }
    return std::chrono::microseconds(*usec);
}

}  // namespace certman::app
