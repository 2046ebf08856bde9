"""The worst /health latency while the server reloads its configuration, certman against nginx (the old VM's
server) in one run. certman's reload rebuilds its storage, its ACME client and every deployer (each Alibaba
deployer owns an HTTPS client); nginx's SIGHUP starts new workers while the old ones finish.

certman is configured with one certificate deployed to N alicloud-slb deployers (endpoint: a closed loopback
port; the ACME directory too, so the first pass fails at once and backs off: no network traffic beyond
loopback). Each round: probes GET /health on a fresh connection every 2 ms, sends SIGHUP every 250 ms for 5 s,
and prints the worst and the 99th percentile probe; the same without reloads as a baseline; and the worst probe
of the first second after the port answers (start-up).
Usage: python3 bench/health/reload_latency.py [--deployers N] [--rounds R] CERTMAN_BIN [CERTMAN_BIN...]
(several binaries: e.g. before and after a change, measured in the same run)."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))
sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import free_port, wait_port  # noqa: E402
from probes import Prober  # noqa: E402


def certman_config(d, port, deployers):
    secret = os.path.join(d, "secret")
    with open(secret, "w") as f:
        f.write("bench-secret")
    os.chmod(secret, 0o600)
    names = [f"slb{i}" for i in range(deployers)]
    text = (f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
            f'[acme]\ndirectory = "https://127.0.0.1:1/directory"\nagree_tos = true\n'
            f'[storage]\npath = "{d}/state"\n'
            f'[[certificate]]\nname = "web"\ndomains = ["www.example.test"]\nkey_type = "rsa2048"\ndeploy = {names!r}\n'.replace("'", '"'))
    for n in names:
        text += (f'[[deployer]]\nname = "{n}"\nkind = "alicloud-slb"\nregion = "cn-hangzhou"\n'
                 f'load_balancer_id = "lb-{n}"\nlistener_ports = [443]\nendpoint = "http://127.0.0.1:1"\n'
                 f'access_key_id = "LTAIbench"\naccess_key_secret_file = "{secret}"\n')
    path = os.path.join(d, "certman.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def nginx_config(d, port):
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(f"pid {d}/nginx.pid;\nerror_log {d}/nginx-error.log;\nworker_processes 1;\nevents {{}}\n"
                f"http {{\n access_log off;\n client_body_temp_path {d};\n proxy_temp_path {d};\n"
                f" fastcgi_temp_path {d};\n uwsgi_temp_path {d};\n scgi_temp_path {d};\n"
                f" server {{\n  listen 127.0.0.1:{port};\n  location = /health {{ return 200 \"ok\\n\"; }}\n }}\n}}\n")
    return path


def measure(port, pid, reloads):
    with Prober(port, 0.002) as p:
        for _ in range(20):
            time.sleep(0.25)
            if reloads:
                os.kill(pid, signal.SIGHUP)
        time.sleep(0.5)
    return p.worst() * 1000, p.p99() * 1000, len(p.samples)


def run_server(argv, port, log):
    """Starts the server and probes from the moment the port answers: returns the process and the worst probe
    (ms) of its first second of serving (certman builds its deployers and ACME client then)."""
    proc = subprocess.Popen(argv, stdout=log, stderr=log)
    wait_port(port, proc=proc, timeout=10.0)
    with Prober(port, 0.002) as p:
        time.sleep(1.0)  # certman: the first pass (fails at once) and its backoff are behind us
    return proc, p.worst() * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deployers", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    servers = [("nginx", None)] + [(f"certman {b}", b) for b in args.binaries]
    print(f"# {args.deployers} alicloud-slb deployers, 20 reloads per round, probes every 2 ms; {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}")
    for r in range(args.rounds):
        for label, binary in servers:
            d = tempfile.mkdtemp(prefix="certman-bench-reload-")
            port = free_port()
            argv = (["nginx", "-c", nginx_config(d, port), "-g", "daemon off;", "-e", f"{d}/nginx-error.log"]
                    if binary is None else [binary, "run", "-c", certman_config(d, port, args.deployers)])
            with open(os.path.join(d, "server.log"), "ab") as log:
                proc, start = run_server(argv, port, log)
                try:
                    quiet = measure(port, proc.pid, reloads=False)
                    busy = measure(port, proc.pid, reloads=True)
                finally:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=30)
            print(f"round {r + 1} {label}: reloading worst {busy[0]:.1f} ms, p99 {busy[1]:.1f} ms ({busy[2]} probes); "
                  f"quiet worst {quiet[0]:.1f} ms, p99 {quiet[1]:.1f} ms; first second worst {start:.1f} ms")


if __name__ == "__main__":
    main()
