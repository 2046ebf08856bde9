#!/usr/bin/env bash
# Peak resident memory under a chunked-request flood: certman's public server vs nginx configured like the old
# certificate-manager VM (bench/lib/vm_site.sh), one after the other in one run.
#
# For each kind of flood (an endless chunk extension `1;aaaa...`, an endless trailer `0\r\nX-T: aaaa...`) and each
# server: start it pinned to core 0, note its idle RSS, then run bench/http/flood.py pinned to core 1 —
# FLOOD_CONNECTIONS connections streaming `POST /health` with `Transfer-Encoding: chunked` and the endless part for
# FLOOD_SECONDS, reconnecting when the server closes, with a GET /health probe every 500 ms — and sample the
# server's RSS (nginx: master + worker) every 100 ms. Prints a table with peak RSS and the certman/nginx ratio.
#
# Env: CERTMAN_BIN, BENCH_PORT (8080), FLOOD_CONNECTIONS (4), FLOOD_SECONDS (8), BENCH_ROUNDS (1),
# CERTMAN_BASELINE_BIN (optional: a second certman binary, e.g. an older build, measured the same way),
# BENCH_MAX_LOAD (1.5), BENCH_WAIT (1200). Needs nginx, taskset, python3. About 1 minute per round.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/common.sh
source "$here/../lib/common.sh"
# shellcheck source=../lib/vm_site.sh
source "$here/../lib/vm_site.sh"

certman="$(find_certman)"
baseline="${CERTMAN_BASELINE_BIN:-}"
port="${BENCH_PORT:-8080}"
conns="${FLOOD_CONNECTIONS:-4}"
seconds="${FLOOD_SECONDS:-8}"
rounds="${BENCH_ROUNDS:-1}"
require_tools nginx taskset python3
port_free "$port"

work="$(mktemp -d /tmp/certman-bench-flood.XXXXXX)"
results="$work/results.tsv"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT
write_vm_site "$work" "$port"

start_server() {  # name binary; sets server_pid and pids (nginx: master and its worker)
    local name="$1" bin="$2" i children=()
    if [[ "$name" == nginx ]]; then
        taskset -c 0 nginx -e "$work/nginx-error.log" -c "$work/nginx.conf" -g 'daemon off;' >>"$work/nginx.out" 2>&1 &
    else
        taskset -c 0 "$bin" run -c "$work/certman.toml" >>"$work/$name.out" 2>&1 &
    fi
    server_pid=$!
    wait_port "$port"
    pids=("$server_pid")
    if [[ "$name" == nginx ]]; then
        for i in $(seq 50); do
            read -r -a children <<<"$(pgrep -P "$server_pid" | tr '\n' ' ')"
            (( ${#children[@]} > 0 )) && break
            sleep 0.1
        done
        pids+=("${children[@]}")
    fi
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    local i
    for i in $(seq 50); do port_free "$port" 2>/dev/null && return 0; sleep 0.1; done
    echo "port $port still busy" >&2
    return 1
}

servers=(nginx certman)
[[ -n "$baseline" ]] && servers+=(baseline)
wait_for_quiet
load_start="$(cat /proc/loadavg)"
printf 'round\tkind\tserver\tidle_rss_kib\tafter_rss_kib\tflood_json\n' >"$results"
for round in $(seq "$rounds"); do
    for kind in extension trailer; do
        for name in "${servers[@]}"; do
            bin="$certman"
            [[ "$name" == baseline ]] && bin="$baseline"
            start_server "$name" "$bin"
            curl -fsS -o /dev/null "http://127.0.0.1:$port/health"
            sleep 0.5
            idle="$(rss_kib "${pids[@]}")"
            flood="$(taskset -c 1 python3 "$here/flood.py" --port "$port" --connections "$conns" --seconds "$seconds" \
                     --kind "$kind" "${pids[@]}")"
            sleep 1
            after="$(rss_kib "${pids[@]}")"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$name" "$idle" "$after" "$flood" >>"$results"
            stop_server
            echo "# round $round $kind $name done (load $(load1))" >&2
        done
    done
done

echo "# work directory: $work"
echo "# load average at start: $load_start; at end: $(cat /proc/loadavg)"
echo "# nginx $(nginx -v 2>&1 | sed 's/.*\///'), $("$certman" --version 2>&1 | head -1), $(nproc) cores, $(uname -r)"
echo "# $conns connections x ${seconds}s per flood"
python3 - "$results" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {}
for r in rows:
    f = json.loads(r["flood_json"])
    by.setdefault((r["kind"], r["server"]), []).append((int(r["idle_rss_kib"]), f["peak_rss_kib"], int(r["after_rss_kib"]), f))
mib = lambda k: k / 1024
print("| flood | server | idle RSS MiB | peak RSS MiB | RSS after MiB | MiB sent | connections | answers | probes ok | worst probe ms |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
kinds = sorted({k for k, _ in by})
for kind in kinds:
    for server in ("nginx", "certman", "baseline"):
        v = by.get((kind, server))
        if not v:
            continue
        med = lambda i: statistics.median(x[i] for x in v)
        f = v[len(v) // 2][3]
        print(f"| {kind} | {server} | {mib(med(0)):.1f} | {mib(med(1)):.1f} | {mib(med(2)):.1f} | "
              f"{f['sent_bytes'] / 2**20:.0f} | {f['connections']} | {f['answers']} | {f['probes_ok']}/{f['probes']} | "
              f"{f['worst_probe_ms']:.0f} |")
for kind in kinds:
    n, c = by.get((kind, "nginx")), by.get((kind, "certman"))
    if n and c:
        pn = statistics.median(x[1] for x in n)
        pc = statistics.median(x[1] for x in c)
        print(f"peak RSS certman/nginx, {kind}: {pc / pn:.2f}x ({mib(pc):.1f} / {mib(pn):.1f} MiB)")
PY
