#!/usr/bin/env bash
# certman's whole job on one machine, nothing faked: Pebble (the ACME CA) validates dev.example.test through
# HAProxy (the load balancer) which forwards /.well-known/ to certman; certman obtains the certificate and
# swaps it into HAProxy's HTTPS listener through the runtime API; curl then checks the listener against
# Pebble's root.
#   deploy/local/demo.sh          run until Ctrl-C (everything started is stopped on exit)
#   deploy/local/demo.sh --once   stop after the proof; exit 0 only if it succeeded
# Ports: HAProxy HTTP 127.0.0.1:8880, HTTPS 127.0.0.1:8443 (override with DEMO_HTTP_PORT / DEMO_HTTPS_PORT);
# everything else on free loopback ports. Work files (configs, logs, state) in $DEMO_DIR (default: a temp dir).
# CERTMAN_BIN=path skips the build and uses that binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
once=0
case "${1:-}" in
  --once) once=1 ;;
  "") ;;
  *) echo "usage: $0 [--once]" >&2; exit 2 ;;
esac
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "installing missing Debian packages (deploy/install-deps.sh test)"
bash deploy/install-deps.sh test

if [ -n "${CERTMAN_BIN:-}" ]; then
  step "using the certman binary in CERTMAN_BIN ($CERTMAN_BIN), no build"
  bin=$CERTMAN_BIN
else
  step "building certman (build-demo; the first build takes a few minutes)"
  start=$(date +%s)
  # Build outputs, logs included, stay in the ignored build-demo/ (.gitignore: /build*/).
  mkdir -p build-demo
  cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCERTMAN_TESTS=OFF >build-demo/configure.log 2>&1 \
    || { cat build-demo/configure.log; exit 1; }
  cmake --build build-demo -j"$(nproc)" --target certman >build-demo/build.log 2>&1 \
    || { tail -40 build-demo/build.log; exit 1; }
  echo "built build-demo/certman in $(( $(date +%s) - start ))s"
  bin=build-demo/certman
fi

step "starting Pebble, pebble-challtestsrv, the app, HAProxy and certman"
args=(--certman "$bin")
[ "$once" -eq 1 ] && args+=(--once)
# The Python runner records every PID and stops them all on exit, Ctrl-C or SIGTERM; exec keeps the signals
# going straight to it.
exec python3 deploy/local/run_demo.py "${args[@]}"
