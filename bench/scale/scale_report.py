"""Markdown tables for bench/scale/run.py's results (bench/README.md, "Many certificates")."""


def _mib(kib):
    return kib / 1024


def issuance_table(r):
    n, i = r["n"], r["issue"]
    print(f"\n### Issuance: {n} certificates (odd ones 1 name, even ones 2; ec256)\n")
    print("| client | certificates | wall s | wall s/cert | CPU s | CPU s/cert | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| certman (one daemon, max_concurrent_orders 4) | {n} | {i['wall']:.1f} | {i['wall'] / n:.3f} | "
          f"{i['cpu']:.2f} | {i['cpu'] / n:.4f} | {_mib(i['peak_kib']):.1f} |")
    for c in r["incumbents"]:
        k = r["inc_n"]
        print(f"| {c['client']} (one process per certificate, sequential) | {c['issued']}/{k} | {c['wall']:.1f} | "
              f"{c['wall'] / k:.3f} | {c['cpu']:.2f} | {c['cpu'] / k:.4f} | {_mib(c['rss_kib']):.1f} |")
    print()
    for c in r["incumbents"]:
        k = r["inc_n"]
        print(f"- certman/{c['client']} per certificate: wall {(i['wall'] / n) / (c['wall'] / k):.3f}x, "
              f"CPU {(i['cpu'] / n) / (c['cpu'] / k):.3f}x, peak RSS {i['peak_kib'] / c['rss_kib']:.2f}x "
              f"(certman's whole daemon vs one {c['client']} process)")
    kinds = ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(i["acme_by_kind"].items()))
    print(f"- ACME requests per certificate: {i['acme_requests'] / n:.2f} ({kinds}); Pebble orders {i['orders_seen']}")
    h = i["health"]
    print(f"- /health during issuance: worst {h['worst_ms']:.1f} ms, p99 {h['p99_ms']:.1f} ms over {h['probes']} "
          f"probes ({h['errors']} errors, {h.get('over_20ms', 0)} over 20 ms; the worst {h['worst_at']:.1f} s after "
          f"the probes began)")


def steady_table(r):
    n, s, st, a = r["n"], r["start"], r["steady"], r["admin"]
    print(f"\n### Steady state: {n} stored, not-due certificates (check_interval 10s)\n")
    h = s["health"]
    print(f"- start pass (restart, every certificate checked once): {s['took']:.2f} s, {s['cpu']:.2f} s CPU since "
          f"exec, {s['log_lines']} log lines; /health worst {h['worst_ms']:.1f} ms ({h['worst_at']:.2f} s after the "
          f"port opened), p99 {h['p99_ms']:.1f} ms, {h.get('over_20ms', 0)} of {h['probes']} over 20 ms")
    print(f"- CPU per certificate check: {st['cpu_per_check_ms']:.3f} ms ({st['checks']:.0f} checks, "
          f"{st['passes']:.1f} passes); per pass of {n}: {st['cpu_per_check_ms'] * n:.1f} ms")
    calls = ", ".join(f"{k} {v:.1f}" for k, v in sorted(st["syscalls_per_check"].items()))
    print(f"- system calls per certificate check (strace -f -c): {calls}")
    print(f"- log lines per not-due pass: {st['log_lines_per_pass']:.1f}")
    print(f"- RSS at rest: {_mib(st['rss_kib']):.1f} MiB, of which anonymous (heap, stacks) {_mib(st['anon_kib']):.1f} MiB" +
          (f"; nginx idle (master + worker) {_mib(r['nginx_kib']):.1f} MiB: certman/nginx "
           f"{st['rss_kib'] / r['nginx_kib']:.2f}x (certbot is not resident between runs)" if r.get("nginx_kib") else ""))
    print("\n| view | bytes | bytes/cert | median ms | worst ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for k, v in a.items():
        print(f"| {k} | {v['bytes']} | {v['bytes'] / n:.0f} | {v['median_ms']:.2f} | {v['worst_ms']:.2f} |")
    st_cli = a.get("certman status", {})
    if st_cli.get("exit"):
        print(f"\n- `certman status` exited {st_cli['exit']}: {st_cli['stderr'].decode(errors='replace').strip()}")


def report(r):
    issuance_table(r)
    steady_table(r)
