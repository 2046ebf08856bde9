"""Pebble (Let's Encrypt's test CA, Debian package `pebble`) and pebble-challtestsrv on loopback for tests.

Pebble gets a throwaway TLS certificate for 127.0.0.1/localhost (its own HTTPS listener); certman trusts it
through [acme] trusted_ca = pebble.tls_ca. challtestsrv answers every DNS name with 127.0.0.1 (no AAAA), and
Pebble's validator connects to `http_port` (certman's port, or the load balancer's)."""
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request

from certman_harness import free_port, wait_port


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_tls_ca(directory):
    """A CA and a leaf for localhost/127.0.0.1 signed by it; returns (ca.pem, cert.pem, key.pem)."""
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "3",
             "-subj", "/CN=certman test TLS CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=directory)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
             "-keyout", "key.pem", "-out", "req.csr", cwd=directory)
    with open(os.path.join(directory, "ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    _openssl("x509", "-req", "-in", "req.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "3",
             "-extfile", "ext.cnf", "-out", "cert.pem", cwd=directory)
    return tuple(os.path.join(directory, n) for n in ("ca.pem", "cert.pem", "key.pem"))


class Pebble:
    def __init__(self, http_port, env=None, eab_keys=None, workdir=None, config=None):
        """config: extra keys for Pebble's JSON config, e.g. {"certificateValidityPeriod": 3600} (seconds)."""
        self.dir = workdir or tempfile.mkdtemp(prefix="pebble-")
        self.http_port = http_port
        self.port = free_port()
        self.mgmt_port = free_port()
        self.dns_port = free_port()
        self.dns_mgmt_port = free_port()
        self.env = dict(os.environ, PEBBLE_VA_NOSLEEP="1")
        for k, v in (env or {}).items():  # a value of None removes the variable
            if v is None:
                self.env.pop(k, None)
            else:
                self.env[k] = v
        self.eab_keys = eab_keys
        self.extra_config = config or {}
        self.procs = []

    @property
    def directory_url(self):
        return f"https://127.0.0.1:{self.port}/dir"

    def start(self):
        # A port picked by free_port() can be taken by someone else before Pebble binds it (tests run in
        # parallel): retry with fresh ports a few times.
        for attempt in range(3):
            try:
                return self._start_once()
            except RuntimeError:
                self.stop()
                self.procs = []
                if attempt == 2:
                    raise
                self.port, self.mgmt_port = free_port(), free_port()
                self.dns_port, self.dns_mgmt_port = free_port(), free_port()

    def _start_once(self):
        self.tls_ca, cert, key = make_tls_ca(self.dir)
        cfg = {"pebble": {
            "listenAddress": f"127.0.0.1:{self.port}", "managementListenAddress": f"127.0.0.1:{self.mgmt_port}",
            "certificate": cert, "privateKey": key, "httpPort": self.http_port, "tlsPort": free_port(),
            "ocspResponderURL": "", "externalAccountBindingRequired": bool(self.eab_keys)}}
        if self.eab_keys:
            cfg["pebble"]["externalAccountMACKeys"] = self.eab_keys
        cfg["pebble"].update(self.extra_config)
        self.config = os.path.join(self.dir, "pebble.json")
        with open(self.config, "w") as f:
            json.dump(cfg, f)
        self.dns_log = open(os.path.join(self.dir, "challtestsrv.log"), "wb")
        self.procs.append(subprocess.Popen(
            ["pebble-challtestsrv", "-dns01", f"127.0.0.1:{self.dns_port}", "-http01", "", "-https01", "",
             "-tlsalpn01", "", "-doh", "", "-management", f"127.0.0.1:{self.dns_mgmt_port}", "-defaultIPv6", ""]
            if self._challtestsrv_has_doh() else
            ["pebble-challtestsrv", "-dns01", f"127.0.0.1:{self.dns_port}", "-http01", "", "-https01", "",
             "-tlsalpn01", "", "-management", f"127.0.0.1:{self.dns_mgmt_port}", "-defaultIPv6", ""],
            stdout=self.dns_log, stderr=self.dns_log))
        wait_port(self.dns_mgmt_port, proc=self.procs[-1])
        self.log_path = os.path.join(self.dir, "pebble.log")
        self.log = open(self.log_path, "wb")
        self.procs.append(subprocess.Popen(["pebble", "-config", self.config, "-dnsserver", f"127.0.0.1:{self.dns_port}"],
                                           stdout=self.log, stderr=self.log, env=self.env))
        wait_port(self.port, proc=self.procs[-1])
        return self

    @staticmethod
    def _challtestsrv_has_doh():
        r = subprocess.run(["pebble-challtestsrv", "-h"], capture_output=True, text=True)
        return "-doh" in (r.stdout + r.stderr)

    def set_address(self, host, ipv4):
        """Makes challtestsrv answer `host` with `ipv4` (e.g. an address where nobody listens)."""
        body = json.dumps({"host": host, "addresses": [ipv4]}).encode()
        urllib.request.urlopen(f"http://127.0.0.1:{self.dns_mgmt_port}/add-a", data=body, timeout=5).read()

    def _mgmt_get(self, path):
        ctx = ssl.create_default_context(cafile=self.tls_ca)
        return urllib.request.urlopen(f"https://127.0.0.1:{self.mgmt_port}{path}", context=ctx, timeout=5).read()

    def roots_and_intermediates(self, directory):
        """Writes Pebble's issuing root and intermediate (they are generated at each start) and returns paths."""
        root = os.path.join(directory, "pebble-root.pem")
        inter = os.path.join(directory, "pebble-intermediate.pem")
        with open(root, "wb") as f:
            f.write(self._mgmt_get("/roots/0"))
        with open(inter, "wb") as f:
            f.write(self._mgmt_get("/intermediates/0"))
        return root, inter

    def orders_seen(self):
        """How many new orders Pebble accepted (from its log). Not the newOrder requests: Pebble refuses 5% of
        nonces at random (badNonce), and the client's retry of such a request is the same order."""
        with open(self.log_path, "rb") as f:
            text = f.read().decode(errors="replace")
        return text.count('Added order "')

    def certificates_issued(self):
        """How many certificates Pebble issued (from its log)."""
        with open(self.log_path, "rb") as f:
            text = f.read().decode(errors="replace")
        return text.count("Issued certificate serial ")

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                os.kill(p.pid, signal.SIGTERM)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    os.kill(p.pid, signal.SIGKILL)
                    p.wait()
        for f in ("log", "dns_log"):
            if getattr(self, f, None):
                getattr(self, f).close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
