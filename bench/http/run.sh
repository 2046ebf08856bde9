#!/usr/bin/env bash
# certman's public server against nginx configured like the old certificate-manager VM (bench/README.md).
#
# Each server in turn on 127.0.0.1:$BENCH_PORT (default 8080), pinned to core 0; wrk pinned to core 1
# (wrk -t1 -c50 -d10s --latency). Cases: /health, a challenge URL and an absent token, keep-alive and `Connection: close`.
# Rounds alternate the servers (nginx, certman, nginx, certman, ...); the summary takes medians and prints
# certman/nginx ratios. Raw wrk outputs stay in the work directory it prints.
#
# Env: CERTMAN_BIN, BENCH_PORT (8080), BENCH_ROUNDS (3), BENCH_DURATION (10s), BENCH_MAX_LOAD (1.5),
# BENCH_WAIT (1200 s to wait for the load to drop). Needs nginx, wrk, taskset, python3. Takes about 7 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"
# shellcheck source=../lib/vm_site.sh
source "$here/../lib/vm_site.sh"

certman="$(find_certman)"
port="${BENCH_PORT:-8080}"
rounds="${BENCH_ROUNDS:-3}"
duration="${BENCH_DURATION:-10s}"
clk_tck="$(getconf CLK_TCK)"
require_tools nginx wrk taskset python3
port_free "$port"

work="$(mktemp -d /tmp/certman-bench-http.XXXXXX)"
results="$work/results.tsv"
server_pids=()
cleanup() {
    local p
    for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

write_vm_site "$work" "$port"   # www/, nginx.conf, certman.toml; sets TOKEN and ABSENT
token="$TOKEN"
absent="$ABSENT"

# certman can serve only tokens the ACME flow has put in its memory, so its challenge case asks for an absent
# token of the same shape: the same route, validation and map lookup, answered 404. nginx serves a real file.
# The absent-* cases are like for like: both servers asked for the absent token (nginx: try_files misses, 404).
challenge_url_for() {
    if [[ "$1" == nginx ]]; then echo "/.well-known/acme-challenge/$token"; else echo "/.well-known/acme-challenge/$absent"; fi
}

start_server() {  # sets pids: the processes to watch (nginx: master and worker)
    local name="$1" pid
    if [[ "$name" == nginx ]]; then
        taskset -c 0 nginx -e "$work/nginx-error.log" -c "$work/nginx.conf" -g 'daemon off;' >>"$work/nginx.out" 2>&1 &
    else
        taskset -c 0 "$certman" run -c "$work/certman.toml" >>"$work/certman.out" 2>&1 &
    fi
    pid=$!
    server_pids+=("$pid")
    wait_port "$port"
    pids=("$pid")
    if [[ "$name" == nginx ]]; then
        local children=() i
        for i in $(seq 50); do
            read -r -a children <<<"$(pgrep -P "$pid" | tr '\n' ' ')"
            (( ${#children[@]} > 0 )) && break
            sleep 0.1
        done
        (( ${#children[@]} == 1 )) || { echo "expected one nginx worker, found: ${children[*]}" >&2; return 1; }
        pids+=("${children[@]}")
    fi
}

stop_server() {
    local pid="$1"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    server_pids=()
    local i
    for i in $(seq 50); do port_free "$port" 2>/dev/null && return 0; sleep 0.1; done
    echo "port $port still busy after stopping $pid" >&2
    return 1
}

run_case() {  # round server case url header pids...
    local round="$1" name="$2" case="$3" url="$4" header="$5"; shift 5
    local pids=("$@") out="$work/wrk-r$round-$name-$case.txt" t0=0 t1=0 p rss max_rss=0 wrk_pid args
    local c0a c0b c1a c1b
    for p in "${pids[@]}"; do t0=$((t0 + $(cpu_ticks "$p"))); done
    read -r -a c0a <<<"$(core_ticks 0)"
    read -r -a c1a <<<"$(core_ticks 1)"
    args=(-t1 -c50 -d"$duration" --latency)
    [[ -n "$header" ]] && args+=(-H "$header")
    taskset -c 1 wrk "${args[@]}" "http://127.0.0.1:$port$url" >"$out" 2>&1 &
    wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null; do
        rss="$(rss_kib "${pids[@]}")"
        (( rss > max_rss )) && max_rss=$rss
        sleep 1
    done
    wait "$wrk_pid"
    for p in "${pids[@]}"; do t1=$((t1 + $(cpu_ticks "$p"))); done
    read -r -a c0b <<<"$(core_ticks 0)"
    read -r -a c1b <<<"$(core_ticks 1)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$case" "$out" "$((t1 - t0))" "$max_rss" "$(load1)" \
        "$((c0b[0] - c0a[0]))" "$((c0b[1] - c0a[1]))" "$((c1b[0] - c1a[0]))" "$((c1b[1] - c1a[1]))" >>"$results"
}

wait_for_quiet
load_start="$(cat /proc/loadavg)"
printf 'round\tserver\tcase\twrk_output\tcpu_ticks\trss_load_kib\tload1\tcore0_busy\tcore0_total\tcore1_busy\tcore1_total\n' >"$results"
for round in $(seq "$rounds"); do
    for name in nginx certman; do
        start_server "$name"
        curl -fsS -o /dev/null "http://127.0.0.1:$port/health"
        sleep 0.5
        printf '%s\t%s\tidle\t-\t0\t%s\t%s\t0\t0\t0\t0\n' "$round" "$name" "$(rss_kib "${pids[@]}")" "$(load1)" >>"$results"
        taskset -c 1 wrk -t1 -c50 -d2s "http://127.0.0.1:$port/health" >/dev/null   # warm-up, not counted
        chal="$(challenge_url_for "$name")"
        run_case "$round" "$name" health-keepalive /health "" "${pids[@]}"
        run_case "$round" "$name" health-close /health "Connection: close" "${pids[@]}"
        run_case "$round" "$name" challenge-keepalive "$chal" "" "${pids[@]}"
        run_case "$round" "$name" challenge-close "$chal" "Connection: close" "${pids[@]}"
        run_case "$round" "$name" absent-keepalive "/.well-known/acme-challenge/$absent" "" "${pids[@]}"
        run_case "$round" "$name" absent-close "/.well-known/acme-challenge/$absent" "Connection: close" "${pids[@]}"
        stop_server "${pids[0]}"
        echo "# round $round $name done (load $(load1))" >&2
    done
done
load_end="$(cat /proc/loadavg)"

echo "# work directory: $work"
echo "# load average at start: $load_start; at end: $load_end"
echo "# nginx $(nginx -v 2>&1 | sed 's/.*\///'), $("$certman" --version 2>&1 | head -1), $(nproc) cores, $(uname -r)"
python3 "$here/summarize.py" "$results" "$clk_tck"
