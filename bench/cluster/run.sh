#!/usr/bin/env bash
# Cluster mode on one OSS bucket: challenge answers per second when another certman instance
# holds the token, against the local-token case and nginx serving the file; then OSS requests per renewal and per
# idle pass. See run.py for the set-up. Env: CERTMAN_BIN, BENCH_ROUNDS (3), BENCH_DURATION (10s),
# BENCH_IDLE_SECONDS (35), BENCH_MAX_LOAD (1.5), BENCH_WAIT (1200 s). Needs nginx, wrk, taskset, pebble,
# pebble-challtestsrv, python3 with python3-cryptography, openssl. Takes about 6 minutes with 3 rounds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"

certman="$(find_certman)"
require_tools nginx wrk taskset pebble pebble-challtestsrv python3 openssl
work="$(mktemp -d /tmp/certman-bench-cluster.XXXXXX)"
chmod 755 "$work"   # nginx's worker runs as nobody and must read the root directory
wait_for_quiet
load_start="$(cat /proc/loadavg)"
python3 "$here/run.py" "$certman" "$work"
echo "# work directory: $work"
echo "# load average at start: $load_start; at end: $(cat /proc/loadavg)"
echo "# nginx $(nginx -v 2>&1 | sed 's/.*\///'), $("$certman" --version 2>&1 | head -1), pebble $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?'), $(nproc) cores, $(uname -r)"
python3 "$here/summarize.py" "$work" "$(getconf CLK_TCK)"
