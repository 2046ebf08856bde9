#!/usr/bin/env python3
"""Chunked-request flood for bench/http/flood_rss.sh: N connections each send `POST /health` with
`Transfer-Encoding: chunked` followed by an endless chunk extension (`1;aaaa...`, --kind extension) or an endless
trailer (`0\\r\\nX-T: aaaa...`, --kind trailer) for T seconds, reading whatever the server answers and
reconnecting whenever it closes. While it runs it samples the resident memory of the given PIDs (summed,
/proc/PID/status VmRSS) every 100 ms and probes GET /health on a fresh connection every 500 ms. Prints one line of JSON: peak RSS, bytes sent, connections opened,
answers seen, probes answered and the slowest probe."""
import argparse
import json
import select
import socket
import time

HEAD = b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
START = {"extension": b"1;", "trailer": b"0\r\nX-T: "}


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def probe(port):
    t = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = s.recv(1000)
        return data.startswith(b"HTTP/1.1 200"), time.perf_counter() - t
    except OSError:
        return False, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--kind", choices=sorted(START), default="extension")
    ap.add_argument("pids", type=int, nargs="+")
    a = ap.parse_args()

    block = b"a" * 65536
    conns = {}
    stats = {"sent_bytes": 0, "connections": 0, "answers": 0, "probes": 0, "probes_ok": 0, "worst_probe_ms": 0.0}

    def connect():
        s = socket.create_connection(("127.0.0.1", a.port))
        s.setblocking(False)
        conns[s] = HEAD + START[a.kind]
        stats["connections"] += 1

    for _ in range(a.connections):
        connect()
    peak = rss_kib(a.pids)
    end = time.monotonic() + a.seconds
    next_sample = next_probe = time.monotonic()
    while time.monotonic() < end:
        r, w, _ = select.select(list(conns), list(conns), [], 0.05)
        for s in r:  # an answer: count it and keep sending (as an attacker would); a close: reconnect
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                stats["answers"] += data.count(b"HTTP/1.")
                continue
            s.close()
            conns.pop(s, None)
            connect()
        for s in w:
            if s not in conns:
                continue
            try:
                n = s.send(conns[s] or block)
                stats["sent_bytes"] += n
                conns[s] = conns[s][n:] if conns[s] else b""
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                conns.pop(s, None)
                connect()
        now = time.monotonic()
        if now >= next_sample:
            peak = max(peak, rss_kib(a.pids))
            next_sample = now + 0.1
        if now >= next_probe:
            ok, took = probe(a.port)
            stats["probes"] += 1
            stats["probes_ok"] += ok
            stats["worst_probe_ms"] = max(stats["worst_probe_ms"], took * 1000)
            next_probe = time.monotonic() + 0.5
    peak = max(peak, rss_kib(a.pids))
    for s in conns:
        s.close()
    stats["peak_rss_kib"] = peak
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
