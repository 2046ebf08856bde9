"""End to end on loopback (README.md, the demo), the topology of deploy/local/demo.sh: Pebble validates through
HAProxy, certman obtains the certificate and swaps it into HAProxy's HTTPS listener via the runtime API.
Asserts: the listener served the self-signed certificate before and a Pebble-issued one after; a client looping
over HTTPS the whole time sees no failed request; `certman renew --force` swaps it again; HAProxy's health check
sees certman UP; HAProxy was never restarted; no private key in certman's log. Everything stopped by PID."""
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

from cryptography import x509
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.join(os.environ.get("CERTMAN_SOURCE", "."), "deploy", "local"))
from topology import LocalTopology, free_port  # noqa: E402

BIN = os.path.abspath(os.environ.get("CERTMAN_BIN", "build/certman"))


class Looper(threading.Thread):
    """HTTPS GETs over fresh connections (certificate not verified: it changes under us) until stopped."""

    def __init__(self, topo):
        super().__init__(daemon=True)
        self.topo, self.ok, self.failed, self.errors = topo, 0, 0, []
        self.stop_flag = threading.Event()
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE

    def run(self):
        while not self.stop_flag.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.topo.https_port), timeout=5) as raw:
                    with self.ctx.wrap_socket(raw, server_hostname=self.topo.domain) as s:
                        s.sendall(f"GET / HTTP/1.1\r\nHost: {self.topo.domain}\r\nConnection: close\r\n\r\n".encode())
                        data = b""
                        while chunk := s.recv(65536):
                            data += chunk
                if data.split(b"\r\n", 1)[0].split()[1:2] == [b"200"] and b"hello from the app" in data:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors.append(data[:80])
            except Exception as e:  # noqa: BLE001 - every failure counts
                self.failed += 1
                self.errors.append(repr(e))
            time.sleep(0.01)


def leaf(topo):
    cert = x509.load_der_x509_certificate(topo.served_certificate_der())
    issuer = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return cert.serial_number, issuer


def wait_backend_up(topo, timeout=15):
    deadline = time.time() + timeout
    state = ""
    while time.time() < deadline:
        state = topo.certman_backend_state()
        if state.startswith("UP"):
            return state
        time.sleep(0.3)
    raise AssertionError(f"HAProxy sees certman as {state!r} after {timeout}s")


def main():
    topo = LocalTopology(BIN, http_port=free_port(), https_port=free_port(), log=lambda m: print("  " + m))
    try:
        topo.start_pebble()
        topo.make_self_signed()
        topo.start_app()
        topo.start_haproxy()
        haproxy_pid = topo.procs["haproxy"].pid

        serial0, issuer0 = leaf(topo)
        assert issuer0 == topo.domain, f"expected the self-signed certificate first, got issuer {issuer0}"
        status, _ = topo.https_get(cafile=topo.self_signed_pem)
        assert status == 200

        looper = Looper(topo)
        looper.start()
        t0 = time.time()
        topo.start_certman()
        status, body = topo.wait_for_pebble_certificate(timeout=120)
        assert status == 200 and "hello from the app" in body, (status, body)
        serial1, issuer1 = leaf(topo)
        assert issuer1.startswith("Pebble Intermediate CA"), issuer1
        print(f"  Pebble-issued certificate served after {time.time() - t0:.1f}s (serial {serial1:x})")
        print(f"  HAProxy health check: certman {wait_backend_up(topo)}")

        # Forced renewal with the one-shot command (the daemon must not run alongside it).
        topo.stop("certman")
        r = subprocess.run([BIN, "renew", "--force", "-c", topo.certman_config, "dev"], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, f"certman renew --force exited {r.returncode}:\n{r.stdout}\n{r.stderr}"
        topo.https_get()  # still verifies against Pebble's root
        serial2, issuer2 = leaf(topo)
        assert serial2 != serial1 and issuer2.startswith("Pebble Intermediate CA"), (serial1, serial2, issuer2)
        print(f"  forced renewal swapped the listener to serial {serial2:x}")

        topo.start_certman()
        print(f"  HAProxy health check after restart: certman {wait_backend_up(topo)}")
        time.sleep(1)
        looper.stop_flag.set()
        looper.join(10)
        assert looper.failed == 0, f"{looper.failed} failed HTTPS requests: {looper.errors[:5]}"
        assert looper.ok > 20, looper.ok
        print(f"  {looper.ok} HTTPS requests across both swaps, none failed")

        assert topo.procs["haproxy"].pid == haproxy_pid and topo.procs["haproxy"].poll() is None
        st = subprocess.run([BIN, "status", "-c", topo.certman_config], capture_output=True, text=True, timeout=30)
        assert st.returncode == 0 and "dev" in st.stdout, (st.returncode, st.stdout, st.stderr)

        with open(topo.crt_path) as f:
            key_lines = [l for l in f.read().split("-----BEGIN PRIVATE KEY-----")[1].splitlines()[1:3] if l]
        log = topo.logs("certman")
        assert key_lines and not any(l in log for l in key_lines), "private key material in certman's log"
        print("e2e haproxy: OK")
    except Exception:
        for name in ("certman", "haproxy", "pebble"):
            try:
                print(f"--- {name}.log (tail) ---\n" + "\n".join(topo.logs(name).splitlines()[-20:]))
            except OSError:
                pass
        raise
    finally:
        topo.stop()


if __name__ == "__main__":
    main()
