"""Issuing N certificates (one name each) from one Pebble: certman (one `renew` run, concurrent orders) against
certbot and lego run one name after another, as a cron script would (bench/README.md, "Issuance").

Each client runs under /usr/bin/time -v (children included): wall time, user+sys CPU, peak RSS of the largest
process. One Pebble (PEBBLE_VA_NOSLEEP=1) serves all three in turn; its httpPort is the port every client answers
HTTP-01 on. Each client gets its own names so that Pebble's authorization reuse never helps one of them.

usage: run.py CERTMAN_BIN [N]   (env BENCH_CLIENTS="certman certbot lego", BENCH_TIMEOUT=600 seconds per client)"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "integration"))
from certman_harness import free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

EMAIL = "ops@example.org"


def names_for(client, n):
    return [f"{client}-{i:02d}.bench.test" for i in range(1, n + 1)]


def certman_command(work, binary, pebble, port, names):
    config = os.path.join(work, "certman.toml")
    with open(config, "w") as f:
        f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
                f'[acme]\ndirectory = "{pebble.directory_url}"\nemail = "{EMAIL}"\nagree_tos = true\n'
                f'trusted_ca = "{pebble.tls_ca}"\n[storage]\npath = "{work}/state"\n')
        for i, name in enumerate(names, 1):
            f.write(f'[[certificate]]\nname = "c{i:02d}"\ndomains = ["{name}"]\nkey_type = "ec256"\n')
    return [binary, "renew", "-c", config], {}


def certbot_command(work, pebble, port, names):
    loop = " && ".join(
        f"certbot certonly --standalone --http-01-port {port} --http-01-address 127.0.0.1 "
        f"--server {pebble.directory_url} --agree-tos -m {EMAIL} --no-eff-email --non-interactive "
        f"--key-type ecdsa --config-dir {work}/config --work-dir {work}/work --logs-dir {work}/logs -d {n}"
        for n in names)
    return ["bash", "-c", loop], {"REQUESTS_CA_BUNDLE": pebble.tls_ca}


def lego_command(work, pebble, port, names):
    loop = " && ".join(
        f"lego --server {pebble.directory_url} --accept-tos --email {EMAIL} --path {work}/lego --key-type ec256 "
        f"--http --http.port 127.0.0.1:{port} --domains {n} run"
        for n in names)
    return ["bash", "-c", loop], {"LEGO_CA_CERTIFICATES": pebble.tls_ca}


def issued(client, work, names):
    """How many of the names have a certificate on disk, in each client's own layout."""
    if client == "certman":
        d = os.path.join(work, "state", "certificates")
        return len([f for f in os.listdir(d) if f.endswith(".json")]) if os.path.isdir(d) else 0
    if client == "certbot":
        return sum(os.path.exists(os.path.join(work, "config", "live", n, "fullchain.pem")) for n in names)
    return sum(os.path.exists(os.path.join(work, "lego", "certificates", n + ".crt")) for n in names)


def parse_time_v(path):
    with open(path) as f:
        text = f.read()

    def num(label):
        m = re.search(rf"{re.escape(label)}: ([\d.]+)", text)
        return float(m.group(1)) if m else float("nan")
    return {"cpu": num("User time (seconds)") + num("System time (seconds)"),
            "rss_kib": num("Maximum resident set size (kbytes)")}


def run_client(client, binary, pebble, port, n, timeout):
    work = tempfile.mkdtemp(prefix=f"certman-bench-issue-{client}-")
    names = names_for(client, n)
    if client == "certman":
        cmd, env = certman_command(work, binary, pebble, port, names)
    elif client == "certbot":
        cmd, env = certbot_command(work, pebble, port, names)
    else:
        cmd, env = lego_command(work, pebble, port, names)
    time_out = os.path.join(work, "time-v.txt")
    log_path = os.path.join(work, "output.log")
    start = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", time_out, *cmd], stdout=log, stderr=log,
                              env=dict(os.environ, **env), timeout=timeout)
    wall = time.monotonic() - start
    res = parse_time_v(time_out)
    res.update(client=client, wall=wall, exit=proc.returncode, issued=issued(client, work, names), work=work)
    print(f"# {client}: exit {proc.returncode}, {res['issued']}/{n} issued, {wall:.1f} s wall, "
          f"{res['cpu']:.2f} s CPU, {res['rss_kib'] / 1024:.1f} MiB peak RSS, load {os.getloadavg()[0]:.2f} "
          f"(output: {log_path})", file=sys.stderr)
    return res


def report(results, n):
    by = {r["client"]: r for r in results}
    print(f"\n{n} names, one certificate each (ECDSA P-256), Pebble with PEBBLE_VA_NOSLEEP=1\n")
    print("| client | how | issued | wall s | CPU s (user+sys) | peak RSS MiB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    how = {"certman": "one `certman renew`, max_concurrent_orders = 4 (default)",
           "certbot": "`certbot certonly --standalone`, one name after another",
           "lego": "`lego --http run`, one name after another"}
    for r in results:
        print(f"| {r['client']} | {how[r['client']]} | {r['issued']}/{n} | {r['wall']:.1f} | {r['cpu']:.2f} "
              f"| {r['rss_kib'] / 1024:.1f} |")
    c = by.get("certman")
    if not c:
        return
    if c["exit"] != 0 or c["issued"] != n:
        print(f"\n- certman failed (exit {c['exit']}, {c['issued']}/{n} issued): no ratio is meaningful")
        return
    print()
    others = [by[k] for k in ("certbot", "lego") if k in by]
    for o in others:
        print(f"- {o['client']}/certman: wall {o['wall'] / c['wall']:.1f}x, CPU {o['cpu'] / c['cpu']:.1f}x, "
              f"peak RSS {o['rss_kib'] / c['rss_kib']:.1f}x")
    if others:
        fastest = min(others, key=lambda r: r["wall"])
        ok = fastest["wall"] / c["wall"] >= 5
        print(f"- goal wall >= 5x faster than the faster incumbent ({fastest['client']}): "
              f"{fastest['wall'] / c['wall']:.1f}x {'met' if ok else 'MISSED'}")
    if "certbot" in by:
        ratio = by["certbot"]["cpu"] / c["cpu"]
        print(f"- goal CPU >= 10x less than certbot: {ratio:.1f}x {'met' if ratio >= 10 else 'MISSED'}")


def main():
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    clients = os.environ.get("BENCH_CLIENTS", "certman certbot lego").split()
    timeout = float(os.environ.get("BENCH_TIMEOUT", "600"))
    port = free_port()
    results = []
    with Pebble(port) as pebble:
        print(f"# pebble {pebble.directory_url}, HTTP-01 on 127.0.0.1:{port}, work {pebble.dir}", file=sys.stderr)
        for client in clients:
            results.append(run_client(client, binary, pebble, port, n, timeout))
    report(results, n)
    return 0 if all(r["exit"] == 0 and r["issued"] == n for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
