// Who holds a lease, and whether that holder is provably gone (lease.hpp). A lease's owner string names the
// process incarnation that took it: "<host>/<pid>/<random>/<start>", where <start> is the process's start
// time in clock ticks since boot (field 22 of /proc/<pid>/stat, proc(5)), so that a pid the kernel has
// handed to another process is not mistaken for the owner. Owners written before <start> existed have
// three fields.
//
// The staleness rule (owner_gone, pure): a lease whose owner ran on this host and whose process no longer
// exists (or whose pid now belongs to a process started at another time) is stale at once, whatever its
// expiry says. A holder on another host is judged by its expiry alone: from here nothing proves it dead.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certman::storage {

struct lease_owner {
    std::string host;
    long pid = 0;
    std::optional<std::uint64_t> start_ticks;  // absent in owners written by older versions
};

// Parses an owner string; nullopt when it does not have the shape above (a foreign or hand-written owner:
// then only the expiry counts).
std::optional<lease_owner> parse_lease_owner(std::string_view owner);

// The owner string of a process (random: anything without '/', e.g. a random number).
std::string format_lease_owner(std::string_view host, long pid, std::string_view random, std::uint64_t start_ticks);

// What this host knows about a pid: nullopt = no such process; else its start time in ticks (0 when it
// could not be read).
using process_probe = std::optional<std::uint64_t>;

// True when `owner` ran on `this_host` and `probe` (about owner.pid on this host) shows it is gone: no such
// process, or a process with a different start time. Pure.
bool owner_gone(const lease_owner& owner, std::string_view this_host, const process_probe& probe);

// I/O: reads /proc/<pid>/stat. nullopt when the process does not exist.
process_probe probe_process(long pid);

// This process's owner string (host, pid, a random part drawn once, start time), and the host part alone.
const std::string& this_process_owner();
const std::string& this_host_name();

// The predicate acquire_lease takes (lease.hpp): owner_gone for the lease's owner, probing this host.
bool local_owner_gone(std::string_view owner);

}  // namespace certman::storage
