// Process hardening for the commands that hold private keys in memory (run, renew, revoke).
#pragma once

namespace certman::app {

// No core dumps: prctl(PR_SET_DUMPABLE, 0) (proc(5): /proc/PID then belongs to root and ptrace by the same
// user is refused) and RLIMIT_CORE 0, so that a crash never writes keys to disk. The systemd unit also sets
// LimitCORE=0 (deploy/systemd/certman.service). Failures (e.g. a seccomp filter refusing setrlimit) are
// logged at debug level and otherwise ignored: the other measure still holds.
void disable_core_dumps();

}  // namespace certman::app
