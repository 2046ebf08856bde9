"""Many certificates in one `certman run` daemon, side by side with certbot and lego (bench/README.md, "Many
certificates").

1. Issuance: N certificates (odd ones one name, even ones two; key_type default ec256) from one Pebble
   (PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0) by one daemon: wall time until all N are stored, peak RSS
   (VmHWM), CPU seconds, ACME requests per certificate (certman_acme_requests_total), worst and p99 /health
   latency (fresh connection every 15 ms).
2. Steady state: the same daemon restarted with check_interval = "10s" on the N stored, not-due certificates:
   the start pass (time until every certificate was checked once, /health meanwhile), then CPU and system calls
   per certificate check over a window, log lines per pass, /status and /metrics size and latency, `certman
   status`, RSS at rest.
3. The incumbents, one process per certificate as the old VM ran them (bench/issue/run.py): certbot certonly
   --standalone and lego run, each for INC_N certificates (fewer than N: certbot needs ~3 s and lego ~6 s each).
4. nginx (the old VM's health server) idle RSS, for the RSS-at-rest comparison.

usage: run.py CERTMAN_BIN N [INC_N]   (env BENCH_CLIENTS="certbot lego", BENCH_WINDOW=30 seconds)"""
import os
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "integration"))
from certman_harness import free_port  # noqa: E402
from daemon_harness import Daemon  # noqa: E402
from pebble_harness import Pebble  # noqa: E402
import daemon_probe as probe  # noqa: E402
import importlib.util  # noqa: E402
_spec = importlib.util.spec_from_file_location("issue_bench", os.path.join(here, "..", "issue", "run.py"))
issue_bench = importlib.util.module_from_spec(_spec)  # bench/issue/run.py: the incumbents' command lines
_spec.loader.exec_module(issue_bench)

import scale_report  # noqa: E402


def certificates(n):
    return [(f"s{i:03d}", [f"s{i:03d}.scale.test"] + ([f"www.s{i:03d}.scale.test"] if i % 2 == 0 else []))
            for i in range(1, n + 1)]


def stored(d):
    p = os.path.join(d, "state", "certificates")
    return len([f for f in os.listdir(p) if f.endswith(".json")]) if os.path.isdir(p) else 0


def issuance(pebble, port, n, work):
    certs = certificates(n)
    dm = Daemon(work, pebble, port, certs)
    t0 = time.monotonic()
    dm.start()
    prober = probe.HealthProber(port).start()
    try:
        dm.wait_for(lambda: stored(work) == n, timeout=60 + 3 * n, what=f"{n} certificates stored")
        wall = time.monotonic() - t0
    finally:
        health = prober.stop()
    pid = dm.proc.pid
    res = {"wall": wall, "cpu": probe.cpu_seconds(pid), "peak_kib": probe.status_kib(pid, "VmHWM"), "health": health}
    metrics = dm.metrics()
    res["acme_requests"] = probe.metric_sum(metrics, "certman_acme_requests_total")
    res["acme_by_kind"] = probe.metric_by_label(metrics, "certman_acme_requests_total", "kind")
    res["orders_seen"] = pebble.orders_seen()
    dm.stop()
    print(f"# certman issued {n} in {wall:.1f} s, {res['cpu']:.2f} s CPU, peak {res['peak_kib'] / 1024:.1f} MiB, "
          f"{res['acme_requests'] / n:.1f} ACME requests/cert, /health worst {health['worst_ms']:.1f} ms",
          file=sys.stderr)
    return res, certs


def checks(dm):
    return probe.metric_sum(dm.metrics(), "certman_certificate_checks_total")


def log_lines(dm):
    return len(dm.logs().splitlines())


def start_pass(pebble, port, n, work, certs):
    """Restart with the N stored: how long until each certificate was checked once."""
    dm = Daemon(work, pebble, port, certs, extra='[renewal]\ncheck_interval = "10s"\n')
    lines0 = log_lines(dm)
    t0 = time.monotonic()
    dm.start()
    prober = probe.HealthProber(port).start()
    try:
        dm.wait_for(lambda: checks(dm) >= n, timeout=120, what="every certificate checked once")
        took = time.monotonic() - t0
    finally:
        health = prober.stop()
    return dm, {"took": took, "health": health, "log_lines": log_lines(dm) - lines0,
                "cpu": probe.cpu_seconds(dm.proc.pid)}


def steady(dm, n, window):
    pid = dm.proc.pid
    c0, cpu0, lines0 = checks(dm), probe.cpu_seconds(pid), log_lines(dm)
    time.sleep(window)
    c1, cpu1, lines1 = checks(dm), probe.cpu_seconds(pid), log_lines(dm)
    done = max(c1 - c0, 1)
    res = {"checks": done, "passes": done / n, "cpu_per_check_ms": (cpu1 - cpu0) / done * 1000,
           "log_lines_per_pass": (lines1 - lines0) / (done / n)}
    s0 = checks(dm)
    sys_calls = probe.strace_counts(pid, window / 2)
    strace_checks = max(checks(dm) - s0, 1)
    res["syscalls_per_check"] = {k: v / strace_checks for k, v in sys_calls.items()
                                 if k in ("openat", "read", "newfstatat", "statx", "fstat", "write", "rename",
                                          "futex", "epoll_wait", "close")}
    res["rss_kib"] = probe.status_kib(pid, "VmRSS")
    res["anon_kib"] = probe.status_kib(pid, "RssAnon")  # private memory; the rest is the binary's and libraries' pages
    return res


def admin_views(dm):
    out = {}
    for path in ("/status", "/metrics"):
        times = []
        for _ in range(10):
            t, body = probe.get(f"http://127.0.0.1:{dm.admin}{path}")
            times.append(t)
        times.sort()
        out[path] = {"bytes": len(body), "median_ms": times[5] * 1000, "worst_ms": times[-1] * 1000}
    times = []
    for _ in range(3):
        t = time.perf_counter()
        r = subprocess.run([issue_bench_bin, "status", "-c", dm.config], capture_output=True)
        times.append(time.perf_counter() - t)
    out["certman status"] = {"bytes": len(r.stdout), "median_ms": sorted(times)[1] * 1000,
                             "worst_ms": max(times) * 1000, "exit": r.returncode, "stderr": r.stderr[:200]}
    return out


def nginx_idle_kib():
    work = tempfile.mkdtemp(prefix="certman-bench-scale-nginx-")
    os.chmod(work, 0o755)
    port = free_port()
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\n"
                f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {work}/body;\n"
                f"server {{ listen 127.0.0.1:{port}; root {work}; }} }}\n")
    p = subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx.conf"), "-g", "daemon off;"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        kids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        return sum(probe.status_kib(int(x), "VmRSS") for x in [p.pid, *kids])
    finally:
        p.terminate()
        p.wait(10)


issue_bench_bin = None


def main():
    global issue_bench_bin
    issue_bench_bin = os.path.abspath(sys.argv[1])
    os.environ["CERTMAN_BIN"] = issue_bench_bin
    import certman_harness
    import daemon_harness
    certman_harness.BIN = daemon_harness.BIN = issue_bench_bin
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    inc_n = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    window = float(os.environ.get("BENCH_WINDOW", "30"))
    clients = os.environ.get("BENCH_CLIENTS", "certbot lego").split()
    port = free_port()
    r = {"n": n, "inc_n": inc_n}
    with Pebble(port, env={"PEBBLE_WFE_NONCEREJECT": "0"}) as pebble:
        work = tempfile.mkdtemp(prefix="certman-bench-scale-")
        print(f"# pebble {pebble.directory_url}, HTTP-01 on 127.0.0.1:{port}, certman work {work}", file=sys.stderr)
        r["issue"], certs = issuance(pebble, port, n, work)
        dm, r["start"] = start_pass(pebble, port, n, work, certs)
        try:
            r["steady"] = steady(dm, n, window)
            r["admin"] = admin_views(dm)
        finally:
            dm.stop()
        r["incumbents"] = [issue_bench.run_client(c, issue_bench_bin, pebble, port, inc_n, 60 + 15 * inc_n)
                           for c in clients]
    r["nginx_kib"] = nginx_idle_kib() if "nginx" not in os.environ.get("BENCH_SKIP", "") else None
    scale_report.report(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
