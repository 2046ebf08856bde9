"""The running part of deploy/local/demo.sh: starts the topology, waits for the Pebble-issued certificate on
HAProxy's HTTPS listener, prints the proof, then waits for Ctrl-C (or exits with --once)."""
import argparse
import os
import signal
import subprocess
import sys
import time

from topology import LocalTopology


def say(msg):
    print(f"    {msg}", flush=True)


def proof(topo):
    print("\n\033[1m==> proof\033[0m", flush=True)
    curl = ["curl", "-sS", "--cacert", topo.pebble_root, "--resolve",
            f"{topo.domain}:{topo.https_port}:127.0.0.1", f"https://{topo.domain}:{topo.https_port}/"]
    print("$ " + " ".join(curl), flush=True)
    ok = subprocess.run(curl).returncode == 0
    subprocess.run(["sh", "-c", f"echo | openssl s_client -connect 127.0.0.1:{topo.https_port} "
                                f"-servername {topo.domain} 2>/dev/null | openssl x509 -noout -subject -issuer "
                                f"-serial -enddate"])
    status = [topo.certman_bin, "status", "-c", topo.certman_config]
    print("$ " + " ".join(status), flush=True)
    r = subprocess.run(status)
    if r.returncode != 0:
        say(f"(certman status exited {r.returncode}; the admin listener's /status:)")
        subprocess.run(["curl", "-sS", f"http://127.0.0.1:{topo.ports['admin']}/status"])
        print()
    say(f"HAProxy sees certman's /health as: {topo.certman_backend_state()}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--certman", required=True)
    ap.add_argument("--once", action="store_true")
    args = ap.parse_args()
    workdir = os.environ.get("DEMO_DIR") or None
    if workdir:
        os.makedirs(workdir, exist_ok=True)
    topo = LocalTopology(os.path.abspath(args.certman), workdir=workdir,
                         http_port=int(os.environ.get("DEMO_HTTP_PORT", "8880")),
                         https_port=int(os.environ.get("DEMO_HTTPS_PORT", "8443")), log=say)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_signal)  # also when started with SIGINT ignored (a background job)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    ok = False
    try:
        say(f"work directory: {topo.dir} (configs, logs/, state/)")
        topo.check_ports()
        topo.start_pebble()
        topo.make_self_signed()
        topo.start_app()
        topo.start_haproxy()
        status, _ = topo.https_get(cafile=topo.self_signed_pem)
        say(f"before: https://{topo.domain}:{topo.https_port}/ serves the self-signed certificate (answers {status})")
        topo.start_certman()
        print("\n\033[1m==> waiting for certman to obtain and deploy the certificate\033[0m", flush=True)
        t0 = time.time()
        status, body = topo.wait_for_pebble_certificate(timeout=120)
        say(f"after {time.time() - t0:.1f}s: https://{topo.domain}:{topo.https_port}/ verifies against "
            f"Pebble's root and answers {status}")
        ok = proof(topo) and status == 200 and "hello from the app" in body
        print(f"\n{'PASS' if ok else 'FAIL'}: certman obtained the certificate from Pebble through HAProxy and "
              f"deployed it with the runtime API" if ok else "\nFAIL: the proof did not succeed", flush=True)
        if not args.once:
            print("\nrunning; press Ctrl-C to stop everything", flush=True)
            while True:
                for name, p in topo.procs.items():
                    if p.poll() is not None:
                        raise RuntimeError(f"{name} exited with status {p.returncode}")
                time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping", flush=True)
    except Exception as e:  # noqa: BLE001 - one clear line for the user, then the logs
        print(f"\nFAIL: {e}", file=sys.stderr, flush=True)
        for name in ("certman", "haproxy", "pebble"):
            try:
                print(f"--- last lines of {name}.log ---\n" + "\n".join(topo.logs(name).splitlines()[-15:]),
                      file=sys.stderr)
            except OSError:
                pass
        ok = False
    finally:
        topo.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
