// Lease owners and the local staleness rule (contract in the header).
#include "certman/storage/lease_owner.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace certman::storage {
namespace {
std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) return out;
        s.remove_prefix(at + 1);
    }
}

template <class T>
std::optional<T> number(std::string_view s) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// Field 22 (starttime) of a /proc/<pid>/stat line. The command name (field 2) is in parentheses and may
// hold spaces and parentheses itself: count fields from the last ')'.
std::optional<std::uint64_t> start_ticks_of(std::string_view stat) {
    auto close = stat.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    auto rest = split(stat.substr(close + 1), ' ');  // rest[0] is empty, rest[1] is field 3 (state)
    if (rest.size() < 21) return std::nullopt;
    return number<std::uint64_t>(rest[20]);
}
}  // namespace

std::optional<lease_owner> parse_lease_owner(std::string_view owner) {
    auto parts = split(owner, '/');
    if (parts.size() != 3 && parts.size() != 4) return std::nullopt;
    if (parts[0].empty()) return std::nullopt;
    auto pid = number<long>(parts[1]);
    if (!pid || *pid <= 0) return std::nullopt;
    lease_owner o{std::string(parts[0]), *pid, std::nullopt};
    if (parts.size() == 4) {
        auto start = number<std::uint64_t>(parts[3]);
        if (!start) return std::nullopt;
        o.start_ticks = *start;
    }
    return o;
}

std::string format_lease_owner(std::string_view host, long pid, std::string_view random, std::uint64_t start_ticks) {
    return std::string(host) + "/" + std::to_string(pid) + "/" + std::string(random) + "/" + std::to_string(start_ticks);
}

bool owner_gone(const lease_owner& owner, std::string_view this_host, const process_probe& probe) {
    if (owner.host != this_host) return false;
    if (!probe) return true;
    // A start time we could not read (0) proves nothing either way: treat the process as the owner.
    if (owner.start_ticks && *probe != 0 && *owner.start_ticks != *probe) return true;
    return false;
}

process_probe probe_process(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    if (!in) {
        // No /proc (or not mounted): fall back on kill(pid, 0); EPERM means it exists under another user.
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) return std::uint64_t{0};
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return start_ticks_of(text.str()).value_or(0);
}

const std::string& this_host_name() {
    static const std::string host = [] {
        char buf[256] = {};
        if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == 0) return std::string("host");
        std::string h(buf);
        for (auto& c : h)
            if (c == '/') c = '_';
        return h;
    }();
    return host;
}

const std::string& this_process_owner() {
    static const std::string id = [] {
        auto self = probe_process(::getpid());
        return format_lease_owner(this_host_name(), ::getpid(), std::to_string(std::random_device{}()), self.value_or(0));
    }();
    return id;
}

bool local_owner_gone(std::string_view owner) {
    auto o = parse_lease_owner(owner);
    if (!o || o->host != this_host_name()) return false;
    return owner_gone(*o, this_host_name(), probe_process(o->pid));
}

}  // namespace certman::storage
