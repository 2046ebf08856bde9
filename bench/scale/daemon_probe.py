"""Measuring one running `certman run` from outside (bench/scale/run.py): /proc counters of its process,
/health probes on fresh connections from a thread, timed GETs of the admin listener, strace counts of its
system calls over a window. Nothing here changes the daemon."""
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime+stime of the process (all threads), from /proc/PID/stat fields 14 and 15."""
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / TICK


def status_kib(pid, field):
    """VmRSS or VmHWM (peak RSS) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def get(url, timeout=10):
    """(seconds, body bytes) of one GET on a fresh connection."""
    t = time.perf_counter()
    body = urllib.request.urlopen(url, timeout=timeout).read()
    return time.perf_counter() - t, body


def metric_sum(text, name):
    """The sum of every sample of a Prometheus family in `text`."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def metric_by_label(text, name, label):
    out = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            m = re.search(rf'{label}="([^"]*)"', line)
            key = m.group(1) if m else ""
            out[key] = out.get(key, 0) + float(line.rsplit(" ", 1)[1])
    return out


class HealthProber:
    """GET /health on a fresh connection every `interval` seconds from a thread, until stop()."""

    def __init__(self, port, interval=0.015):
        self.port, self.interval = port, interval
        self.samples, self.at, self.errors = [], [], 0
        self.t0 = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _probe(self):
        t = time.perf_counter()
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while s.recv(4096):
                pass
        return time.perf_counter() - t

    def _run(self):
        while not self._done.is_set():
            try:
                self.samples.append(self._probe())
                self.at.append(time.monotonic() - self.t0)
            except OSError:
                self.errors += 1
            time.sleep(self.interval)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._done.set()
        self._thread.join()
        s = sorted(self.samples)
        if not s:
            return {"probes": 0, "errors": self.errors, "worst_ms": float("nan"), "p99_ms": float("nan"), "worst_at": 0}
        worst_at = self.at[self.samples.index(s[-1])]
        return {"probes": len(s), "errors": self.errors, "worst_ms": s[-1] * 1000,
                "p99_ms": s[max(0, int(len(s) * 0.99) - 1)] * 1000, "worst_at": worst_at,
                "over_20ms": sum(1 for x in s if x > 0.020)}


def strace_counts(pid, seconds):
    """System calls of every thread of `pid` over `seconds` (strace -f -c): {name: calls}. strace is stopped
    by its PID."""
    out = f"/tmp/certman-bench-strace-{pid}-{time.monotonic_ns()}.txt"
    tids = [a for t in os.listdir(f"/proc/{pid}/task") for a in ("-p", t)]  # every thread, the pool's too
    p = subprocess.Popen(["strace", "-f", "-c", *tids, "-o", out],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    os.kill(p.pid, signal.SIGINT)
    p.wait(10)
    counts = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[0][0].isdigit() and not parts[-1].startswith("total"):
                calls = parts[3]
                if calls.isdigit():
                    counts[parts[-1]] = int(calls)
    os.unlink(out)
    return counts
