#!/usr/bin/env bash
# 20 certificates from one Pebble: certman (one renew run) vs certbot and lego (one name after another).
# See run.py for what is measured. Env: CERTMAN_BIN, BENCH_NAMES (20), BENCH_CLIENTS ("certman certbot lego"),
# BENCH_MAX_LOAD (1.5), BENCH_WAIT (1200 s). Needs pebble, pebble-challtestsrv, certbot, lego, /usr/bin/time,
# python3, openssl. Takes about 3-4 minutes (lego alone waits ~5 s per name).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"

certman="$(find_certman)"
require_tools pebble pebble-challtestsrv certbot lego /usr/bin/time python3 openssl
wait_for_quiet
echo "# load average at start: $(cat /proc/loadavg)"
echo "# $("$certman" --version 2>&1 | head -1), certbot $(certbot --version 2>&1 | awk '{print $2}'), lego $(lego --version 2>&1 | awk '{print $3}'), pebble from Debian $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"
status=0
python3 "$here/run.py" "$certman" "${BENCH_NAMES:-20}" || status=$?
echo "# load average at end: $(cat /proc/loadavg)"
exit "$status"
