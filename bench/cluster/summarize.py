"""Reads bench/cluster/run.py's results.json and cost.json; prints medians, ratios and the OSS request counts.

usage: summarize.py WORKDIR CLK_TCK"""
import importlib.util
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("http_summarize", os.path.join(HERE, "..", "http", "summarize.py"))
http_summarize = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(http_summarize)

TARGETS = [("nginx", "nginx, token as a file"), ("local", "certman A, token in its memory"),
           ("remote", "certman B, token held by A (bucket lookup)"), ("absent", "certman B, unknown token (404)")]
MODES = [("keepalive", "keep-alive"), ("close", "`Connection: close`")]


def ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"


def median(data, target, mode, key):
    runs = data.get((target, mode), [])
    return statistics.median(w[key] for w in runs) if runs else float("nan")


def throughput(work, clk_tck):
    rows = json.load(open(os.path.join(work, "results.json")))
    data = {}
    for r in rows:
        w = http_summarize.parse_wrk(r["wrk"])
        n = w["requests"] or float("nan")
        w.update(cpu_us=r["server_ticks"] / clk_tck * 1e6 / n, emu_us=r["emulator_ticks"] / clk_tck * 1e6 / n,
                 gets=r["oss_gets"] / n, held=r["token_held"], load=r["load1"])
        data.setdefault((r["target"], r["mode"]), []).append(w)
    loads = [r["load1"] for r in rows]
    print(f"\nMedians of {max(len(v) for v in data.values())} rounds; load average (1 min) after each case: "
          f"{min(loads):.2f} to {max(loads):.2f}; token still held by A after every case: "
          f"{all(r['token_held'] for r in rows)}\n")
    print("| case | req/s | vs nginx | vs local | p50 / p99 ms | server CPU µs/req | emulator CPU µs/req "
          "| storage GETs/req | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode, mode_name in MODES:
        med = {t: {k: median(data, t, mode, k) for k in ("rps", "p50", "p99", "cpu_us", "emu_us", "gets", "non2xx")}
               for t, _ in TARGETS}
        for t, name in TARGETS:
            m = med[t]
            print(f"| {name}, {mode_name} | {m['rps']:.0f} | {ratio(m['rps'], med['nginx']['rps'])} "
                  f"| {ratio(m['rps'], med['local']['rps'])} | {m['p50']:.2f} / {m['p99']:.2f} | {m['cpu_us']:.1f} "
                  f"| {m['emu_us']:.1f} | {m['gets']:.4f} | {m['non2xx']:.0f} |")
    print("\nPer round req/s:")
    for mode, _ in MODES:
        for t, _ in TARGETS:
            print(f"- {t} {mode}: " + " / ".join(f"{w['rps']:.0f}" for w in data.get((t, mode), [])))


def cost(work):
    path = os.path.join(work, "cost.json")
    if not os.path.exists(path):
        print("\n(no cost.json: the cost phase did not run)")
        return
    c = json.load(open(path))
    n = c.pop("_idle_passes", 0)
    print("\nOSS requests counted at the emulator:\n")
    print("| phase | total | by operation |")
    print("| --- | ---: | --- |")
    for phase, ops in c.items():
        print(f"| {phase} | {sum(ops.values())} | {', '.join(f'{k} {v}' for k, v in sorted(ops.items()))} |")
    idle = [ops for phase, ops in c.items() if phase.startswith("idle")]
    if idle and n:
        print(f"\nPer idle pass: {sum(idle[0].values()) / n:.1f} requests")


def main():
    work, clk_tck = sys.argv[1], int(sys.argv[2])
    throughput(work, clk_tck)
    cost(work)


if __name__ == "__main__":
    main()
