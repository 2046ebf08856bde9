// systemd service notifications (sd_notify(3) protocol) without linking libsystemd: the protocol is one
// datagram of "KEY=VALUE" lines sent to the AF_UNIX socket named by $NOTIFY_SOCKET (a leading '@' names a
// Linux abstract socket). Linking libsystemd for this pulled in libgcrypt, liblz4, libzstd, liblzma and libcap
// (~1 MiB of resident memory against an idle RSS target under 8 MiB, bench/README.md), for one sendmsg().
// Outside systemd (no $NOTIFY_SOCKET) every call is a harmless no-op.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

namespace certman::app {

// Sends state (e.g. "READY=1", "STOPPING=1", "WATCHDOG=1") to systemd. Returns true when a datagram was sent,
// false when not running under systemd or when the socket cannot be reached (never throws, never blocks:
// a datagram socket with MSG_DONTWAIT).
bool notify_systemd(std::string_view state) noexcept;

// The watchdog interval systemd expects pings within ($WATCHDOG_USEC, only if $WATCHDOG_PID is absent or names
// this process), or nullopt when the watchdog is off or the variables are malformed.
std::optional<std::chrono::microseconds> systemd_watchdog_interval() noexcept;

}  // namespace certman::app
