"""Reads bench/http/run.sh's results.tsv and the wrk outputs it names; prints medians and certman/nginx ratios.

usage: summarize.py RESULTS_TSV CLK_TCK"""
import csv
import re
import statistics
import sys

CASES = ["health-keepalive", "health-close", "challenge-keepalive", "challenge-close", "absent-keepalive",
         "absent-close"]
SERVERS = ["nginx", "certman"]
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(path):
    with open(path) as f:
        text = f.read()
    out = {}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    out["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        out[f"p{pct}"] = float(m.group(1)) * UNIT_MS[m.group(2)] if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else ""
    return out


def fmt_ratio(c, n):
    return f"{c / n:.2f}x" if n else "n/a"


def main():
    path, clk_tck = sys.argv[1], int(sys.argv[2])
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    data = {(s, c): [] for s in SERVERS for c in CASES}
    idle = {s: [] for s in SERVERS}
    loads = [float(r["load1"]) for r in rows]
    for r in rows:
        if r["case"] == "idle":
            idle[r["server"]].append(int(r["rss_load_kib"]))
            continue
        w = parse_wrk(r["wrk_output"])
        ticks = int(r["cpu_ticks"])
        w["cpu_us"] = ticks / clk_tck * 1e6 / w["requests"] if w["requests"] else float("nan")
        w["rss"] = int(r["rss_load_kib"])
        # Whole-core accounting (includes softirq: loopback TCP work that no process is charged for).
        busy0, total0 = int(r.get("core0_busy") or 0), int(r.get("core0_total") or 0)
        busy1, total1 = int(r.get("core1_busy") or 0), int(r.get("core1_total") or 0)
        w["core0_us"] = busy0 / clk_tck * 1e6 / w["requests"] if w["requests"] and total0 else float("nan")
        w["core0_pct"] = 100.0 * busy0 / total0 if total0 else float("nan")
        w["core1_pct"] = 100.0 * busy1 / total1 if total1 else float("nan")
        data[(r["server"], r["case"])].append(w)

    def med(server, case, key):
        vals = [w[key] for w in data[(server, case)]]
        return statistics.median(vals) if vals else float("nan")

    print(f"\nMedians of {max(len(v) for v in data.values())} rounds; load average (1 min) during the runs: "
          f"{min(loads):.2f} to {max(loads):.2f}\n")
    print("| case | nginx req/s | certman req/s | ratio | nginx p50 / p99 ms | certman p50 / p99 ms | p99 ratio "
          "| nginx CPU µs/req | certman CPU µs/req | CPU ratio | RSS under load nginx / certman KiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in CASES:
        n = {k: med("nginx", c, k) for k in ("rps", "p50", "p99", "cpu_us", "rss")}
        m = {k: med("certman", c, k) for k in ("rps", "p50", "p99", "cpu_us", "rss")}
        print(f"| {c} | {n['rps']:.0f} | {m['rps']:.0f} | **{fmt_ratio(m['rps'], n['rps'])}** "
              f"| {n['p50']:.2f} / {n['p99']:.2f} | {m['p50']:.2f} / {m['p99']:.2f} | {fmt_ratio(m['p99'], n['p99'])} "
              f"| {n['cpu_us']:.1f} | {m['cpu_us']:.1f} | {fmt_ratio(m['cpu_us'], n['cpu_us'])} "
              f"| {n['rss']:.0f} / {m['rss']:.0f} |")
    print("\nWhole cores (from /proc/stat, softirq included): the server's core 0 per request, and how busy each core"
          " was. A load-generator core near 100% means the req/s above measure wrk, not the server; the server core's"
          " time per request is then what compares the servers (its inverse is the req/s a saturated core would give).\n")
    print("| case | nginx core-0 µs/req | certman core-0 µs/req | **core-0 ratio** | core 0 busy nginx / certman "
          "| core 1 (wrk) busy nginx / certman |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for c in CASES:
        n = {k: med("nginx", c, k) for k in ("core0_us", "core0_pct", "core1_pct")}
        m = {k: med("certman", c, k) for k in ("core0_us", "core0_pct", "core1_pct")}
        print(f"| {c} | {n['core0_us']:.1f} | {m['core0_us']:.1f} | **{fmt_ratio(m['core0_us'], n['core0_us'])}** "
              f"| {n['core0_pct']:.0f}% / {m['core0_pct']:.0f}% | {n['core1_pct']:.0f}% / {m['core1_pct']:.0f}% |")
    ni, mi = statistics.median(idle["nginx"]), statistics.median(idle["certman"])
    print(f"\nIdle RSS (median): nginx master+worker {ni:.0f} KiB ({ni / 1024:.1f} MiB), "
          f"certman {mi:.0f} KiB ({mi / 1024:.1f} MiB); ratio {fmt_ratio(mi, ni)}")

    print("\nPer round (req/s; non-2xx responses; socket errors):")
    for c in CASES:
        for s in SERVERS:
            runs = "; ".join(f"{w['rps']:.0f} ({w['non2xx']} non-2xx{', ' + w['socket_errors'] if w['socket_errors'] else ''})"
                             for w in data[(s, c)])
            print(f"- {c} {s}: {runs}")


if __name__ == "__main__":
    main()
