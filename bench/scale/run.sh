#!/usr/bin/env bash
# Many certificates in one certman daemon vs certbot and lego, one process per certificate (bench/scale/run.py).
# Env: CERTMAN_BIN, BENCH_N (50), BENCH_INC_N (10: certificates for each incumbent), BENCH_CLIENTS ("certbot lego"),
# BENCH_WINDOW (30 s of steady state), BENCH_MAX_LOAD (1.5), BENCH_WAIT (1200 s). Needs pebble,
# pebble-challtestsrv, certbot, lego, nginx, strace, /usr/bin/time, python3, openssl.
# About 3 min for N=50 (incumbents ~1.5 min of it), 5 min for N=200.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"

certman="$(find_certman)"
require_tools pebble pebble-challtestsrv certbot lego nginx strace /usr/bin/time python3 openssl
wait_for_quiet
echo "# load average at start: $(cat /proc/loadavg)"
echo "# $("$certman" --version 2>&1 | head -1), certbot $(certbot --version 2>&1 | awk '{print $2}'), lego $(lego --version 2>&1 | awk '{print $3}'), pebble $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"
status=0
python3 "$here/run.py" "$certman" "${BENCH_N:-50}" "${BENCH_INC_N:-10}" || status=$?
echo "# load average at end: $(cat /proc/loadavg)"
exit "$status"
