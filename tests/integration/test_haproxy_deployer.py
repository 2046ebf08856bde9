"""The haproxy deployer against a real HAProxy (Debian's 2.6): starts HAProxy with a self-signed certificate
loaded from a `crt <dir>`, swaps in a certificate from a test CA through certman_local_deploy_tool while a
client loops over HTTPS, and checks: HAProxy serves the new certificate, no request failed, the PEM file on
disk was replaced (0600), a second run reports changed=false, and HAProxy's errors come back readable."""
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("CERTMAN_SOURCE", "."), "deploy", "local"))
from topology import LocalTopology, free_port, openssl  # noqa: E402

BUILD = os.environ.get("CERTMAN_BUILD", "build")
TOOL = os.path.join(BUILD, "certman_local_deploy_tool")


def make_ca_and_leaf(d, domain, tag):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", f"/CN=test CA {tag}", "-keyout", f"ca-{tag}.key", "-out", f"ca-{tag}.pem", cwd=d)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={domain}",
            "-keyout", f"leaf-{tag}.key", "-out", f"leaf-{tag}.csr", cwd=d)
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write(f"subjectAltName=DNS:{domain}\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", f"leaf-{tag}.csr", "-CA", f"ca-{tag}.pem", "-CAkey", f"ca-{tag}.key",
            "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", f"leaf-{tag}.pem", cwd=d)
    return {k: os.path.join(d, v) for k, v in
            (("ca", f"ca-{tag}.pem"), ("cert", f"leaf-{tag}.pem"), ("key", f"leaf-{tag}.key"))}


def deploy(topo, files, crt_path=None):
    r = subprocess.run([TOOL, "haproxy", "--socket", topo.socket, "--crt-path", crt_path or topo.crt_path,
                        "--cert", files["cert"], "--key", files["key"], "--chain", files["ca"], "--timeout", "5"],
                       capture_output=True, text=True, timeout=30)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert (r.returncode == 0) == out["ok"], (r.returncode, out, r.stderr)
    return out


class Looper(threading.Thread):
    """GETs https://domain/ over fresh connections until stopped; counts successes and failures."""

    def __init__(self, topo):
        super().__init__(daemon=True)
        self.topo, self.ok, self.failed, self.errors = topo, 0, 0, []
        self.stop_flag = threading.Event()

    def run(self):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        while not self.stop_flag.is_set():
            try:
                status, body = self._get(ctx)
                if status == 200 and "hello from the app" in body:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors.append(status)
            except Exception as e:  # noqa: BLE001 - every failure counts
                self.failed += 1
                self.errors.append(repr(e))

    def _get(self, ctx):
        with socket.create_connection(("127.0.0.1", self.topo.https_port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=self.topo.domain) as s:
                s.sendall(f"GET / HTTP/1.1\r\nHost: {self.topo.domain}\r\nConnection: close\r\n\r\n".encode())
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split()[1]), body.decode(errors="replace")


def main():
    topo = LocalTopology(certman_bin=None, http_port=free_port(), https_port=free_port(), log=lambda m: None)
    try:
        topo.make_self_signed()
        topo.start_app()
        topo.start_haproxy()
        d = tempfile.mkdtemp(prefix="haproxy-deploy-", dir=topo.dir)
        first = make_ca_and_leaf(d, topo.domain, "one")
        second = make_ca_and_leaf(d, topo.domain, "two")

        # Before: the self-signed certificate, which the test CA does not verify.
        status, body = topo.https_get(cafile=topo.self_signed_pem)
        assert status == 200 and "hello from the app" in body

        looper = Looper(topo)
        looper.start()
        time.sleep(0.5)
        out = deploy(topo, first)
        assert out["ok"] and out["changed"], out
        time.sleep(0.5)
        out = deploy(topo, second)
        assert out["ok"] and out["changed"], out
        time.sleep(0.5)
        looper.stop_flag.set()
        looper.join(10)
        assert looper.failed == 0, f"{looper.failed} failed requests during the swap: {looper.errors[:5]}"
        assert looper.ok > 10, looper.ok
        print(f"{looper.ok} HTTPS requests during two swaps, none failed")

        # After: the listener verifies against test CA two, and HAProxy's CLI agrees.
        status, body = topo.https_get(cafile=second["ca"])
        assert status == 200 and "hello from the app" in body
        try:
            topo.https_get(cafile=first["ca"])
            raise AssertionError("still serving the first certificate")
        except ssl.SSLCertVerificationError:
            pass
        show = topo.haproxy_cli(f"show ssl cert {topo.crt_path}")
        assert "Status: Used" in show, show
        # The file on disk for HAProxy's next start: the new leaf, its chain and key, 0600.
        with open(topo.crt_path) as f, open(second["cert"]) as c:
            on_disk = f.read()
            assert c.read().strip() in on_disk and "PRIVATE KEY" in on_disk
        assert os.stat(topo.crt_path).st_mode & 0o777 == 0o600

        # Idempotent: the same bundle again changes nothing.
        out = deploy(topo, second)
        assert out["ok"] and not out["changed"], out

        # A restart of HAProxy keeps the deployed certificate (it loads the file).
        topo.stop("haproxy")
        topo.start_haproxy()
        status, _ = topo.https_get(cafile=second["ca"])
        assert status == 200

        # Errors: a crt_path HAProxy does not know, and a socket that is not there.
        unknown = os.path.join(topo.dir, "certs", "unknown.pem")
        out = deploy(topo, first, crt_path=unknown)
        assert not out["ok"] and "does not know this certificate" in out["last_error"], out
        assert not os.path.exists(unknown), "wrote a file HAProxy would load at its next start"
        topo.stop("haproxy")
        out = deploy(topo, first)
        assert not out["ok"] and "connect " + topo.socket in out["last_error"], out
        print("haproxy deployer: OK")
    finally:
        topo.stop()


if __name__ == "__main__":
    main()
