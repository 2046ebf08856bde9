"""The original architecture on loopback, as one Python object (used by demo.sh and the e2e test).

    Pebble + pebble-challtestsrv  the ACME CA; every name resolves to 127.0.0.1 (challtestsrv's DNS)
    HAProxy                       the load balancer: :http_port (/.well-known/ → certman, else → app),
                                  :https_port (TLS, starts with a self-signed certificate), stats socket
    app.py                        the application ("hello from the app")
    certman run                   with [[deployer]] kind = "haproxy" on HAProxy's stats socket

Pebble's validator connects to HAProxy's http_port, so HTTP-01 validation goes through the load balancer as in
production. Every process is started with its PID recorded and stopped by PID (stop())."""
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_port(port, proc, what, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what}: nothing listens on 127.0.0.1:{port} after {timeout}s")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class LocalTopology:
    def __init__(self, certman_bin, workdir=None, http_port=8880, https_port=8443, domain="dev.example.test",
                 log=print, certman_log_level="info"):
        self.certman_bin = certman_bin
        self.dir = workdir or tempfile.mkdtemp(prefix="certman-local-")
        self.http_port, self.https_port, self.domain = http_port, https_port, domain
        self.log = log
        self.certman_log_level = certman_log_level
        self.procs = {}  # name → Popen
        for sub in ("run", "certs", "state", "pebble", "logs"):
            os.makedirs(os.path.join(self.dir, sub), mode=0o700, exist_ok=True)
        self.socket = os.path.join(self.dir, "run", "haproxy.sock")
        self.crt_path = os.path.join(self.dir, "certs", domain + ".pem")
        self.certman_config = os.path.join(self.dir, "certman.toml")
        self.pebble_root = os.path.join(self.dir, "pebble", "root.pem")
        self.ports = {n: free_port() for n in ("certman", "admin", "app", "pebble", "pebble_mgmt", "dns", "dns_mgmt")}

    # ---- processes ----------------------------------------------------------------------------------------
    def _spawn(self, name, argv, env=None):
        logf = open(os.path.join(self.dir, "logs", name + ".log"), "ab")
        p = subprocess.Popen(argv, stdout=logf, stderr=logf, env=env, start_new_session=True)
        logf.close()
        self.procs[name] = p
        with open(os.path.join(self.dir, "run", "pids"), "a") as f:
            f.write(f"{name} {p.pid}\n")
        return p

    def stop(self, name=None):
        names = [name] if name else list(reversed(list(self.procs)))
        for n in names:
            p = self.procs.pop(n, None)
            if p is None or p.poll() is not None:
                continue
            os.kill(p.pid, signal.SIGTERM)
            try:
                p.wait(8)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()

    def logs(self, name):
        with open(os.path.join(self.dir, "logs", name + ".log"), "rb") as f:
            return f.read().decode(errors="replace")

    # ---- the pieces ---------------------------------------------------------------------------------------
    def check_ports(self):
        for port in (self.http_port, self.https_port):
            if not port_is_free(port):
                raise RuntimeError(f"127.0.0.1:{port} is in use (DEMO_HTTP_PORT / DEMO_HTTPS_PORT choose others)")

    def start(self):
        self.check_ports()
        self.start_pebble()
        self.make_self_signed()
        self.start_app()
        self.start_haproxy()
        self.start_certman()
        return self

    def start_pebble(self):
        d = os.path.join(self.dir, "pebble")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "7",
                "-subj", "/CN=certman demo Pebble TLS CA", "-keyout", "ca.key", "-out", "tls-ca.pem", cwd=d)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
                "-keyout", "tls-key.pem", "-out", "tls.csr", cwd=d)
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "tls.csr", "-CA", "tls-ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "7", "-extfile", "ext.cnf", "-out", "tls-cert.pem", cwd=d)
        self.pebble_tls_ca = os.path.join(d, "tls-ca.pem")
        p = self.ports
        cfg = {"pebble": {"listenAddress": f"127.0.0.1:{p['pebble']}",
                          "managementListenAddress": f"127.0.0.1:{p['pebble_mgmt']}",
                          "certificate": os.path.join(d, "tls-cert.pem"), "privateKey": os.path.join(d, "tls-key.pem"),
                          "httpPort": self.http_port, "tlsPort": free_port(), "ocspResponderURL": "",
                          "externalAccountBindingRequired": False}}
        with open(os.path.join(d, "pebble.json"), "w") as f:
            json.dump(cfg, f)
        self.log(f"starting pebble-challtestsrv (DNS 127.0.0.1:{p['dns']}: every name → 127.0.0.1)")
        dns = self._spawn("challtestsrv", ["pebble-challtestsrv", "-dns01", f"127.0.0.1:{p['dns']}", "-http01", "",
                                           "-https01", "", "-tlsalpn01", "", "-management",
                                           f"127.0.0.1:{p['dns_mgmt']}", "-defaultIPv4", "127.0.0.1",
                                           "-defaultIPv6", ""])
        wait_port(p["dns_mgmt"], dns, "pebble-challtestsrv")
        self.log(f"starting pebble (ACME https://127.0.0.1:{p['pebble']}/dir, validating via :{self.http_port})")
        env = dict(os.environ, PEBBLE_VA_NOSLEEP="1")
        peb = self._spawn("pebble", ["pebble", "-config", os.path.join(d, "pebble.json"), "-dnsserver",
                                     f"127.0.0.1:{p['dns']}"], env=env)
        wait_port(p["pebble"], peb, "pebble")
        wait_port(p["pebble_mgmt"], peb, "pebble management")
        ctx = ssl.create_default_context(cafile=self.pebble_tls_ca)
        root = urllib.request.urlopen(f"https://127.0.0.1:{p['pebble_mgmt']}/roots/0", context=ctx, timeout=5).read()
        with open(self.pebble_root, "wb") as f:
            f.write(root)

    def make_self_signed(self):
        d = os.path.join(self.dir, "certs")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", f"/CN={self.domain}", "-addext", f"subjectAltName=DNS:{self.domain}",
                "-keyout", "selfsigned.key", "-out", "selfsigned.crt", cwd=self.dir)
        with open(os.path.join(self.dir, "selfsigned.crt")) as c, open(os.path.join(self.dir, "selfsigned.key")) as k:
            pem = c.read() + k.read()
        fd = os.open(self.crt_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(pem)
        self.self_signed_pem = os.path.join(self.dir, "selfsigned.crt")

    def start_app(self):
        self.log(f"starting the app backend on 127.0.0.1:{self.ports['app']}")
        p = self._spawn("app", [sys.executable, os.path.join(HERE, "app.py"), str(self.ports["app"])])
        wait_port(self.ports["app"], p, "app")

    def start_haproxy(self):
        with open(os.path.join(HERE, "haproxy.cfg.in")) as f:
            text = f.read()
        for k, v in {"RUN_DIR": os.path.join(self.dir, "run"), "CERT_DIR": os.path.join(self.dir, "certs"),
                     "HTTP_PORT": self.http_port, "HTTPS_PORT": self.https_port,
                     "CERTMAN_PORT": self.ports["certman"], "APP_PORT": self.ports["app"]}.items():
            text = text.replace(f"@{k}@", str(v))
        self.haproxy_config = os.path.join(self.dir, "haproxy.cfg")
        with open(self.haproxy_config, "w") as f:
            f.write(text)
        self.log(f"starting haproxy (HTTP :{self.http_port}, HTTPS :{self.https_port} with a self-signed certificate)")
        p = self._spawn("haproxy", ["haproxy", "-db", "-f", self.haproxy_config])
        wait_port(self.https_port, p, "haproxy")

    def write_certman_config(self, renewal=""):
        p = self.ports
        with open(self.certman_config, "w") as f:
            f.write(f"""# generated by deploy/local/topology.py
[server]
listen = "127.0.0.1:{p['certman']}"
[admin]
listen = "127.0.0.1:{p['admin']}"
[log]
level = "{self.certman_log_level}"
[acme]
directory = "https://127.0.0.1:{p['pebble']}/dir"
email = "demo@example.test"
agree_tos = true
trusted_ca = "{self.pebble_tls_ca}"
[storage]
kind = "dir"
path = "{os.path.join(self.dir, 'state')}"
{renewal}
[[certificate]]
name = "dev"
domains = ["{self.domain}"]
deploy = ["local-haproxy"]

[[deployer]]
name = "local-haproxy"
kind = "haproxy"
socket = "{self.socket}"
crt_path = "{self.crt_path}"
timeout = "10s"
""")

    def start_certman(self, renewal=""):
        self.write_certman_config(renewal)
        self.log(f"starting certman run (challenges and /health on 127.0.0.1:{self.ports['certman']})")
        p = self._spawn("certman", [self.certman_bin, "run", "-c", self.certman_config])
        wait_port(self.ports["certman"], p, "certman")

    # ---- observations -------------------------------------------------------------------------------------
    def https_get(self, path="/", cafile=None, timeout=5):
        """GET https://<domain>:<https_port><path> resolved to 127.0.0.1, verified against `cafile`."""
        ctx = ssl.create_default_context(cafile=cafile or self.pebble_root)
        with socket.create_connection(("127.0.0.1", self.https_port), timeout=timeout) as raw:
            with ctx.wrap_socket(raw, server_hostname=self.domain) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: {self.domain}\r\nConnection: close\r\n\r\n".encode())
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split()[1]), body.decode(errors="replace")

    def served_certificate_der(self):
        """The leaf the HTTPS listener presents right now (DER), not verified."""
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", self.https_port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=self.domain) as s:
                return s.getpeercert(binary_form=True)

    def wait_for_pebble_certificate(self, timeout=90):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError(f"{name} exited with status {p.returncode}; see {self.dir}/logs/{name}.log")
            try:
                return self.https_get()
            except (ssl.SSLError, OSError) as e:
                last = e
                time.sleep(0.5)
        raise RuntimeError(f"no Pebble-issued certificate on :{self.https_port} after {timeout}s (last: {last}); "
                           f"see {self.dir}/logs/certman.log")

    def haproxy_cli(self, command):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(self.socket)
            s.sendall(command.encode() + b"\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        return data.decode(errors="replace")

    def certman_backend_state(self):
        """HAProxy's view of the certman server: 'UP', 'DOWN', ... (from `show stat`)."""
        lines = self.haproxy_cli("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("pxname") == "certman" and row.get("svname") == "certman":
                return row.get("status", "")
        return ""
