#include <doctest/doctest.h>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "certman/app/systemd_notify.hpp"

using certman::app::notify_systemd;
using certman::app::systemd_watchdog_interval;

namespace {
// A datagram socket standing in for systemd's notification socket; name starting with '@' = abstract.
struct fake_systemd {
    int fd = -1;
    std::string name;
    explicit fake_systemd(std::string n) : name(std::move(n)) {
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::memcpy(a.sun_path, name.data(), name.size());
        if (name[0] == '@') a.sun_path[0] = '\0';
        else ::unlink(name.c_str());
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size())) == 0);
        ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    }
    ~fake_systemd() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(fd);
        if (name[0] == '/') ::unlink(name.c_str());
    }
    std::string receive() {
        char buf[256];
        auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        return n < 0 ? std::string("<nothing>") : std::string(buf, static_cast<std::size_t>(n));
    }
};
}  // namespace

TEST_CASE("notify_systemd: sends one datagram to $NOTIFY_SOCKET (path and abstract)") {
    for (std::string name : {"/tmp/certman-notify-test-" + std::to_string(::getpid()),
                             "@certman-notify-test-" + std::to_string(::getpid())}) {
        CAPTURE(name);
        fake_systemd sd(name);
        CHECK(notify_systemd("READY=1"));
        CHECK(sd.receive() == "READY=1");
        CHECK(notify_systemd("STOPPING=1"));
        CHECK(sd.receive() == "STOPPING=1");
        CHECK(sd.receive() == "<nothing>");
    }
}

TEST_CASE("notify_systemd: a no-op outside systemd or with a bad socket name") {
    ::unsetenv("NOTIFY_SOCKET");
    CHECK_FALSE(notify_systemd("READY=1"));
    ::setenv("NOTIFY_SOCKET", "relative/path", 1);
    CHECK_FALSE(notify_systemd("READY=1"));
    ::setenv("NOTIFY_SOCKET", "/nonexistent/dir/notify", 1);
    CHECK_FALSE(notify_systemd("READY=1"));
    ::setenv("NOTIFY_SOCKET", ("/" + std::string(200, 'x')).c_str(), 1);
    CHECK_FALSE(notify_systemd("READY=1"));
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("systemd_watchdog_interval: WATCHDOG_USEC, for this process only") {
    const std::string me = std::to_string(::getpid());
    struct row { const char* usec; const char* pid; long long expect; };  // expect -1 = nullopt; pid "me" = ours
    const row rows[] = {
        {nullptr, nullptr, -1}, {"30000000", nullptr, 30000000}, {"30000000", "me", 30000000},
        {"30000000", "1", -1}, {"0", nullptr, -1}, {"abc", nullptr, -1}, {"30s", nullptr, -1},
        {"30000000", "x", -1}, {"", nullptr, -1},
    };
    for (const auto& r : rows) {
        CAPTURE(r.usec ? r.usec : "(unset)");
        CAPTURE(r.pid ? r.pid : "(unset)");
        if (r.usec) ::setenv("WATCHDOG_USEC", r.usec, 1); else ::unsetenv("WATCHDOG_USEC");
        if (r.pid) ::setenv("WATCHDOG_PID", std::string(r.pid) == "me" ? me.c_str() : r.pid, 1); else ::unsetenv("WATCHDOG_PID");
        auto got = systemd_watchdog_interval();
        if (r.expect < 0) CHECK_FALSE(got.has_value());
        else { REQUIRE(got.has_value()); CHECK(got->count() == r.expect); }
    }
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
}
