#!/usr/bin/env bash
# The whole test suite: installs what it needs (Debian 12), builds certman twice (release with -Werror, then
# AddressSanitizer + UBSan) and runs every CTest test (unit and integration) in both builds (the packaging and
# template checks, which exercise no certman code paths beyond the release build's, run once).
# Usage: tests/run.sh [--quick]     --quick: skip the sanitizer build
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

bash deploy/install-deps.sh test
echo "== dependencies ready in $SECONDS s"

run_suite() {  # $1 build dir, $2 ctest exclude regex ("" = none), $3.. extra cmake args
  local dir=$1 exclude=$2; shift 2
  local t0=$SECONDS
  echo "== configure $dir ($*)"
  cmake -S . -B "$dir" -DCERTMAN_WERROR=ON "$@" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  echo "== build $dir"
  cmake --build "$dir" -j"$jobs" 2>&1 | grep -E 'error|warning|Error' || true
  cmake --build "$dir" -j"$jobs" >/dev/null   # fails loudly if the build failed
  echo "== test $dir (built in $((SECONDS - t0)) s)"
  t0=$SECONDS
  local ex=()
  [ -n "$exclude" ] && ex=(-E "$exclude")
  # Twice as many tests as cores: the integration tests mostly wait (on Pebble, HAProxy, the emulator, timers).
  (cd "$dir" && ctest --output-on-failure -j"$((jobs * 2))" --timeout 600 "${ex[@]}")
  echo "== tested $dir in $((SECONDS - t0)) s"
}

# -g1 (line tables) instead of -g in both builds: a third less compile time, and still enough for symbolized
# backtraces (ASan and UBSan reports name file:line).
run_suite build-release "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCERTMAN_PCH=ON
# The sanitizer build links the libraries shared (CERTMAN_BUNDLE_DEPS=OFF): compiling spdlog/fmt into every file
# made the release build 11 min instead of 7 in CI, a cost only the shipped binary's resident set pays back; this
# also keeps the all-shared option built and tested.
if [ "$quick" -eq 0 ]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan "test_packaging|test_deploy_templates" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
      -DCERTMAN_SANITIZE=ON -DCERTMAN_PCH=ON -DCERTMAN_BUNDLE_DEPS=OFF
fi
echo "== all tests passed in $SECONDS s"
