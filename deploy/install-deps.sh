#!/usr/bin/env bash
# Installs the Debian 12 packages certman needs to build, test and benchmark.
# Idempotent and fast when everything is already there (one dpkg query, no apt-get).
# Usage: deploy/install-deps.sh [build|test|bench|all]   (default: test)
set -euo pipefail
set_name=${1:-test}
build=(cmake g++ make libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libspdlog-dev libfmt-dev
       doctest-dev libtomlplusplus-dev libcli11-dev libssl-dev)
test=(pebble haproxy openssl curl python3 python3-cryptography procps iproute2 systemd lintian packer jq python3-yaml python3-jsonschema dpkg-dev prometheus certbot)
bench=(nginx wrk lego util-linux time strace)
case "$set_name" in
  build) want=("${build[@]}") ;;
  test)  want=("${build[@]}" "${test[@]}") ;;
  bench|all) want=("${build[@]}" "${test[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Only promtool is wanted from the prometheus package: never leave its server (port 9090, certman's admin port in
# the tests) running where a service manager started it.
if [ -d /run/systemd/system ] && systemctl is-active -q prometheus.service 2>/dev/null; then
  $SUDO systemctl disable --now prometheus.service prometheus-node-exporter.service 2>/dev/null || true
fi
