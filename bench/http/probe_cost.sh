#!/usr/bin/env bash
# What one health probe costs (a new connection, one `Connection: close` request), counted instead of timed, so
# the numbers do not depend on how busy the machine is: for nginx configured like the old VM and for certman,
# N probes of /health (sequential, from python3) and
#   - TCP segments on loopback, both directions (nstat TcpOutSegs delta / N),
#   - system calls made by the serving process (strace -c -f on certman, on nginx's worker) / N.
# Env: CERTMAN_BIN, BENCH_PORT (8080), PROBES (2000). Needs nginx, strace, nstat (iproute2), python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"
# shellcheck source=../lib/vm_site.sh
source "$here/../lib/vm_site.sh"

certman="$(find_certman)"
port="${BENCH_PORT:-8080}"
probes="${PROBES:-2000}"
require_tools nginx strace nstat python3
port_free "$port"
work="$(mktemp -d /tmp/certman-bench-probe.XXXXXX)"
write_vm_site "$work" "$port"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

probe() {  # N sequential probes; fails unless every answer is a 200
    python3 - "$port" "$1" <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
req = b"GET /health HTTP/1.1\r\nHost: lb-health-check\r\nConnection: close\r\n\r\n"
for _ in range(n):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(req)
        data = b""
        while chunk := s.recv(4096):
            data += chunk
        if not data.startswith(b"HTTP/1.1 200"):
            sys.exit(f"unexpected answer: {data[:80]!r}")
EOF
}

measure() {  # name pid-to-trace
    local name="$1" traced="$2" segs calls
    probe 50   # warm-up
    nstat -n >/dev/null
    probe "$probes"
    segs="$(nstat -z TcpOutSegs | awk '/TcpOutSegs/ { print $2 }')"
    strace -c -f -p "$traced" -o "$work/strace-$name.txt" 2>/dev/null &
    local sp=$!
    sleep 1
    probe "$probes"
    kill -INT "$sp"; wait "$sp" 2>/dev/null || true
    calls="$(awk '$NF == "total" { print $4 }' "$work/strace-$name.txt")"
    printf '%s\t%s\t%s\n' "$name" "$(python3 -c "print(round($segs / $probes, 2))")" \
        "$(python3 -c "print(round($calls / $probes, 2))")"
}

echo -e "server\tsegments/probe\tsyscalls/probe"
nginx -e "$work/nginx-error.log" -c "$work/nginx.conf" -g 'daemon off;' >>"$work/nginx.out" 2>&1 &
pids=($!)
wait_port "$port"
sleep 0.3
measure nginx "$(pgrep -P "${pids[0]}" | head -1)"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
for i in $(seq 50); do port_free "$port" 2>/dev/null && break; sleep 0.1; done

"$certman" run -c "$work/certman.toml" >>"$work/certman.out" 2>&1 &
pids=($!)
wait_port "$port"
measure certman "${pids[0]}"
echo "# $probes probes each; strace tables in $work"
