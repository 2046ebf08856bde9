"""Cluster mode on one OSS bucket: challenge answers per second when another instance holds the
token, side by side with the local-token case and nginx serving the file; then the OSS requests one renewal and
one idle renewal pass cost. Started by run.sh, which also summarizes (summarize.py).

Throughput phase. One Alibaba emulator (its OSS part stands in for the bucket), one Pebble with
PEBBLE_VA_SLEEPTIME=3600 (its validator sleeps a random 0-3600 s per authorization), and:
  - certman A (`run`, oss storage, one certificate with 8 names, order_timeout 60m): it orders, publishes the 8
    tokens in memory and under challenges/<hex token> in the bucket, and keeps them until the last authorization
    is validated (minutes to an hour, so they stay for the whole measurement; checked after every case);
  - certman B (`run`, the same bucket, no certificate): it holds no token and must look each one up in the bucket;
  - nginx (one worker, the bench/http configuration) serving the same token as a file.
Every server and the emulator are pinned to core 0, wrk to core 1 (`wrk -t1 -c50 -d10s --latency`, with and
without `Connection: close`). Targets, in turn within each round: nginx (file), local (A, token in memory),
remote (B, token in the bucket), absent (B, a token nobody holds: 404, the 2 s negative cache). After each case
the emulator's request log gives the storage GETs the case caused.

Cost phase (A, B and the first Pebble stopped; a Pebble with PEBBLE_VA_NOSLEEP=1 and PEBBLE_AUTHZREUSE=0; a
fresh prefix): certman C (`run`, one name, check_interval 10s) issues from nothing (account creation included);
then `certman renew --force` with C stopped (one renewal with the account already in the bucket, process start
included); then C again, idle: the requests of ~35 s of passes with nothing due, grouped into passes by the gaps
between them.

usage: run.py CERTMAN_BIN WORKDIR   (env BENCH_ROUNDS=3, BENCH_DURATION=10s)"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulators"))
from alibaba_testlib import AK, SK, Emulator  # noqa: E402
from certman_harness import free_port, wait_for, wait_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

BUCKET = "certman-store"
HOLD_NAMES = [f"hold-{i}.bench.test" for i in range(1, 9)]


def http_get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


class Procs:
    """Processes this bench started; stopped by PID, newest first."""

    def __init__(self):
        self.items = []

    def start(self, name, cmd, log, env=None):
        p = subprocess.Popen(cmd, stdout=log, stderr=log, env=env)
        self.items.append((name, p))
        return p

    def stop(self, proc):
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self):
        for _, p in reversed(self.items):
            self.stop(p)


def certman_config(work, name, port, emu, prefix, pebble=None, names=(), check_interval="1h"):
    secret = os.path.join(work, "oss-secret")
    with open(secret, "w") as f:
        f.write(SK)
    os.chmod(secret, 0o600)
    text = (f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n[log]\nlevel = "info"\n'
            f'[storage]\nkind = "oss"\nbucket = "{BUCKET}"\nprefix = "{prefix}"\nregion = "cn-hangzhou"\n'
            f'endpoint = "{emu.base}"\naccess_key_id = "{AK}"\naccess_key_secret_file = "{secret}"\n'
            f'[renewal]\ncheck_interval = "{check_interval}"\n')
    if pebble:
        text += (f'[acme]\ndirectory = "{pebble.directory_url}"\nemail = "ops@example.org"\nagree_tos = true\n'
                 f'trusted_ca = "{pebble.tls_ca}"\norder_timeout = "60m"\n')
    if names:
        text += f'[[certificate]]\nname = "{name}"\ndomains = {json.dumps(list(names))}\n'
    path = os.path.join(work, f"certman-{name}.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def start_certman(procs, binary, work, config, port, tag):
    log = open(os.path.join(work, f"certman-{tag}.log"), "ab")
    p = procs.start(tag, ["taskset", "-c", "0", binary, "run", "-c", config], log)
    wait_port(port, proc=p)
    return p


def objects(emu, prefix):
    return [o["key"] for o in emu.control("GET", "state")["oss"][BUCKET] if o["key"].startswith(prefix)]


def oss_requests(emu, clear=True):
    reqs = [r for r in emu.control("GET", "state")["requests"] if r["service"] == "oss"]
    if clear:
        emu.raw("DELETE", "/_emulator/requests")
    return reqs


def start_nginx(procs, work, port, token, key_auth):
    www = os.path.join(work, "www")
    os.makedirs(os.path.join(www, ".well-known", "acme-challenge"), exist_ok=True)
    os.makedirs(os.path.join(work, "nginx-tmp"), exist_ok=True)
    with open(os.path.join(www, "health"), "w") as f:
        f.write("OK\n")
    with open(os.path.join(www, ".well-known", "acme-challenge", token), "w") as f:
        f.write(key_auth)
    subprocess.run(["chmod", "-R", "a+rX", work], check=True)
    conf = os.path.join(work, "nginx.conf")
    tmp = os.path.join(work, "nginx-tmp")
    with open(conf, "w") as f:
        f.write(f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\n"
                "events { worker_connections 768; }\nhttp {\n sendfile on;\n tcp_nopush on;\n"
                " types_hash_max_size 2048;\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
                f" access_log off;\n client_body_temp_path {tmp}/body;\n proxy_temp_path {tmp}/proxy;\n"
                f" fastcgi_temp_path {tmp}/fastcgi;\n uwsgi_temp_path {tmp}/uwsgi;\n scgi_temp_path {tmp}/scgi;\n"
                f" server {{\n  listen 127.0.0.1:{port};\n  root {www};\n"
                "  location / { try_files $uri $uri/ =404; }\n }\n}\n")
    log = open(os.path.join(work, "nginx.out"), "ab")
    p = procs.start("nginx", ["taskset", "-c", "0", "nginx", "-e", f"{work}/nginx-error.log", "-c", conf,
                              "-g", "daemon off;"], log)
    wait_port(port, proc=p)
    workers = wait_for("the nginx worker", lambda: subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True,
                                                                 text=True).stdout.split(), 5)
    return [p.pid] + [int(w) for w in workers]


def run_wrk(work, tag, port, path, close, duration):
    out = os.path.join(work, f"wrk-{tag}.txt")
    cmd = ["taskset", "-c", "1", "wrk", "-t1", "-c50", f"-d{duration}", "--latency"]
    if close:
        cmd += ["-H", "Connection: close"]
    with open(out, "w") as f:
        subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], stdout=f, stderr=subprocess.STDOUT, check=True)
    return out


def throughput_phase(binary, work, emu, procs, results, rounds, duration):
    port_a, port_b, port_n = free_port(), free_port(), free_port()
    pebble = Pebble(port_a, env={"PEBBLE_VA_NOSLEEP": None, "PEBBLE_VA_SLEEPTIME": "3600"},
                    workdir=os.path.join(work, "pebble-hold"))
    os.makedirs(pebble.dir, exist_ok=True)
    pebble.start()
    try:
        a = start_certman(procs, binary, work, certman_config(work, "a", port_a, emu, "bench", pebble, HOLD_NAMES),
                          port_a, "a")
        b = start_certman(procs, binary, work, certman_config(work, "b", port_b, emu, "bench"), port_b, "b")
        keys = wait_for("A to publish its 8 tokens", lambda: len(objects(emu, "bench/challenges/")) == 8 and
                        objects(emu, "bench/challenges/"), 120)
        token = bytes.fromhex(keys[0].rsplit("/", 1)[1]).decode()
        path = f"/.well-known/acme-challenge/{token}"
        status_a, key_auth = http_get(port_a, path)
        status_b, via_b = http_get(port_b, path)
        if status_a != 200 or status_b != 200 or via_b != key_auth:
            raise RuntimeError(f"token not served: A {status_a}, B {status_b}")
        absent = "A" * 43
        nginx_pids = start_nginx(procs, work, port_n, token, key_auth)
        print(f"# token {token[:8]}... held by A (127.0.0.1:{port_a}), B on {port_b}, nginx on {port_n}",
              file=sys.stderr)
        targets = [("nginx", port_n, path, nginx_pids), ("local", port_a, path, [a.pid]),
                   ("remote", port_b, path, [b.pid]), ("absent", port_b, f"/.well-known/acme-challenge/{absent}",
                                                       [b.pid])]
        for rnd in range(1, rounds + 1):
            for target, port, url, pids in targets:
                subprocess.run(["taskset", "-c", "1", "wrk", "-t1", "-c50", "-d2s", f"http://127.0.0.1:{port}{url}"],
                               capture_output=True, check=True)   # warm-up, not counted
                time.sleep(1)   # let the warm-up's last storage GETs land before the log is cleared
                for close in (False, True):
                    mode = "close" if close else "keepalive"
                    oss_requests(emu)
                    t0, e0 = sum(cpu_ticks(p) for p in pids), cpu_ticks(emu.proc.pid)
                    out = run_wrk(work, f"r{rnd}-{target}-{mode}", port, url, close, duration)
                    t1, e1 = sum(cpu_ticks(p) for p in pids), cpu_ticks(emu.proc.pid)
                    gets = sum(1 for r in oss_requests(emu) if r["action"] == "GetObject")
                    still = http_get(port_a, path)[0] == 200
                    results.append({"round": rnd, "target": target, "mode": mode, "wrk": out, "server_ticks": t1 - t0,
                                    "emulator_ticks": e1 - e0, "oss_gets": gets, "load1": os.getloadavg()[0],
                                    "token_held": still})
                    print(f"# round {rnd} {target} {mode}: {gets} storage GETs, token still held: {still}, "
                          f"load {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for p in (a, b):
            procs.stop(p)
        procs.stop(next(p for n, p in procs.items if n == "nginx"))
    finally:
        pebble.stop()


def by_action(reqs):
    out = {}
    for r in reqs:
        key = r["action"] + ("" if r["outcome"] == "ok" else f" ({r['outcome']})")
        out[key] = out.get(key, 0) + 1
    return out


def passes(reqs, gap=3):
    """Bursts of requests separated by at least `gap` seconds: one per renewal pass."""
    times = sorted(r["time"] for r in reqs)
    return sum(1 for i, t in enumerate(times) if i == 0 or t - times[i - 1] >= gap)


def cost_phase(binary, work, emu, procs, idle_seconds):
    port = free_port()
    cost = {}
    os.makedirs(os.path.join(work, "pebble-cost"), exist_ok=True)
    # No authorization reuse: every renewal then pays for its challenge, as after Let's Encrypt's 30-day reuse.
    with Pebble(port, env={"PEBBLE_AUTHZREUSE": "0"}, workdir=os.path.join(work, "pebble-cost")) as pebble:
        config = certman_config(work, "c", port, emu, "cost", pebble, ["one.bench.test"], check_interval="10s")
        oss_requests(emu)
        c = start_certman(procs, binary, work, config, port, "c")
        wait_for("C to store its certificate", lambda: objects(emu, "cost/certificates/c.json"), 120)
        wait_for("C to release its lease", lambda: not objects(emu, "cost/leases/"), 30)
        time.sleep(1)
        cost["first issuance (process start, new account)"] = by_action(oss_requests(emu))
        procs.stop(c)
        log = open(os.path.join(work, "certman-renew.log"), "ab")
        oss_requests(emu)
        subprocess.run(["taskset", "-c", "0", binary, "renew", "--force", "-c", config, "c"], stdout=log,
                       stderr=log, check=True, timeout=120)
        cost["forced renewal (`renew --force`, process start, account exists)"] = by_action(oss_requests(emu))
        c = start_certman(procs, binary, work, config, port, "c-idle")
        time.sleep(3)   # the pass at start
        cost["daemon start, first pass (nothing due)"] = by_action(oss_requests(emu))
        time.sleep(idle_seconds)
        reqs = oss_requests(emu)
        n = passes(reqs)
        cost[f"idle passes (nothing due), {idle_seconds} s, {n} passes"] = by_action(reqs)
        cost["_idle_passes"] = n
        procs.stop(c)
    return cost


def main():
    binary, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    duration = os.environ.get("BENCH_DURATION", "10s")
    procs = Procs()
    emu = Emulator()
    subprocess.run(["taskset", "-a", "-p", "-c", "0", str(emu.proc.pid)], capture_output=True, check=True)
    results = []
    try:
        throughput_phase(binary, work, emu, procs, results, rounds, duration)
        with open(os.path.join(work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        cost = cost_phase(binary, work, emu, procs, int(os.environ.get("BENCH_IDLE_SECONDS", "35")))
        with open(os.path.join(work, "cost.json"), "w") as f:
            json.dump(cost, f, indent=1)
    finally:
        procs.stop_all()
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
