# Helpers shared by the bench scripts (sourced, not run).

# The certman binary: $CERTMAN_BIN, else a Release build in build-bench/ or build/.
find_certman() {
    if [[ -n "${CERTMAN_BIN:-}" ]]; then echo "$CERTMAN_BIN"; return; fi
    local root d
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    for d in build-bench build; do
        if [[ -x "$root/$d/certman" ]]; then echo "$root/$d/certman"; return; fi
    done
    echo "certman binary not found: build it (cmake -DCMAKE_BUILD_TYPE=Release) or set CERTMAN_BIN" >&2
    return 1
}

# Exits 2 naming the first of the given commands that is not installed.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing: $tool (deploy/install-deps.sh bench)" >&2; exit 2; }
    done
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# The machine is shared: wait (up to BENCH_WAIT seconds, default 1200) until the 1-minute load average is at most
# BENCH_MAX_LOAD (default 1.5). Measures anyway after the wait, saying so; the load is reported with the results.
wait_for_quiet() {
    local max="${BENCH_MAX_LOAD:-1.5}" limit="${BENCH_WAIT:-1200}" waited=0
    while awk -v l="$(load1)" -v m="$max" 'BEGIN { exit !(l > m) }'; do
        if (( waited >= limit )); then
            echo "# load average still $(load1) > $max after ${waited}s: measuring anyway" >&2
            return 0
        fi
        (( waited % 60 == 0 )) && echo "# load average $(load1) > $max: waiting (${waited}s so far)" >&2
        sleep 10
        waited=$((waited + 10))
    done
}

# utime+stime of a process in clock ticks (/proc/PID/stat fields 14 and 15; the name may contain spaces).
cpu_ticks() {
    local rest
    rest="$(sed 's/^.*) //' "/proc/$1/stat")"
    awk '{ print $12 + $13 }' <<<"$rest"
}

# One core's time in clock ticks from /proc/stat: "busy total", busy = user+nice+system+irq+softirq (softirq
# matters: on loopback much of a connection's TCP work runs there, outside any process's utime/stime).
core_ticks() {
    awk -v c="cpu$1" '$1 == c { busy = $2 + $3 + $4 + $7 + $8; total = 0; for (i = 2; i <= NF; i++) total += $i;
                               print busy, total }' /proc/stat
}

# Resident set size in KiB, summed over the given PIDs.
rss_kib() {
    ps -o rss= -p "$(IFS=,; echo "$*")" | awk '{ s += $1 } END { print s + 0 }'
}

# Waits until something accepts connections on 127.0.0.1:$1 (up to ~5 s).
wait_port() {
    local i
    for i in $(seq 50); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$1" >&2
    return 1
}

# Fails when something already listens on 127.0.0.1:$1.
port_free() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "127.0.0.1:$1 is in use; stop that server or set BENCH_PORT" >&2
        return 1
    fi
}
