"""Shared helpers for certman's integration tests: free ports, writing configs, starting the certman binary
on loopback and stopping it by PID, raw HTTP over sockets."""
import os
import signal
import socket
import subprocess
import tempfile
import time

BIN = os.environ.get("CERTMAN_BIN", "build/certman")
SOURCE = os.environ.get("CERTMAN_SOURCE", os.getcwd())
# The public port's session ([server] implementation): CMakeLists.txt runs some tests again with "reference".
SERVER_IMPLEMENTATION = os.environ.get("CERTMAN_SERVER_IMPLEMENTATION", "fast")


def server_toml(port, extra=""):
    """The [server] section of a test config: listen on loopback `port`, the session under test, `extra` lines."""
    return f'[server]\nlisten = "127.0.0.1:{port}"\nimplementation = "{SERVER_IMPLEMENTATION}"\n{extra}'


_handed_out = set()


def free_port():
    """A free loopback port, never the same twice in one process (the kernel may offer a just-closed port again)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def wait_port(port, timeout=10.0, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


class Certman:
    """A certman process started with a generated config; use as a context manager."""

    def __init__(self, extra_toml="", args=("run",), workdir=None, env=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="certman-it-")
        self.port = free_port()
        self.admin_port = free_port()
        self.config = os.path.join(self.dir, "certman.toml")
        self.log_path = os.path.join(self.dir, "certman.log")
        with open(self.config, "w") as f:
            f.write(server_toml(self.port) +
                    f'[admin]\nlisten = "127.0.0.1:{self.admin_port}"\n'
                    f'[storage]\npath = "{self.dir}/state"\n' + extra_toml)
        self.args = args
        self.env = env
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BIN, *self.args, "-c", self.config], stdout=self.log, stderr=self.log,
                                     env=self.env)
        wait_port(self.port, proc=self.proc)
        return self

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
        return self.proc.returncode

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def wait_for(what, predicate, timeout, interval=0.1):
    """Polls predicate() until it returns something truthy (returned) or timeout seconds pass (AssertionError)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def raw_request(port, data, timeout=5.0, read_until_close=True):
    """Sends raw bytes and returns everything the server sends back until it closes (or timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if not read_until_close:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def http_get(port, path, method="GET", headers=None):
    """One request with Connection: close; returns (status, headers dict lowercased, body bytes)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: test", "Connection: close"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    raw = raw_request(port, ("\r\n".join(lines) + "\r\n\r\n").encode())
    return parse_response(raw)


def parse_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


def start_oss_instance(cls, bucket, prefix, server_extra="", extra_toml=""):
    """For a unittest class's setUpClass: the Alibaba emulator (cls.emu), a secret file, and one `certman run`
    on loopback (cls.proc, cls.port, cls.admin, cls.log, cls.tmp) with [storage] kind = "oss" in `bucket` under
    `prefix`; `server_extra` adds [server] lines, `extra_toml` whole sections. stop_oss_instance() undoes it.
    The test puts tests/emulators on sys.path (alibaba_testlib)."""
    from alibaba_testlib import AK, SK, Emulator
    cls.tmp = tempfile.TemporaryDirectory()
    cls.emu = Emulator()
    cls.addClassCleanup(cls.emu.stop)
    secret = os.path.join(cls.tmp.name, "secret")
    with open(secret, "w") as f:
        f.write(SK)
    os.chmod(secret, 0o600)
    cls.port, cls.admin = free_port(), free_port()
    config = os.path.join(cls.tmp.name, "certman.toml")
    with open(config, "w") as f:
        f.write(server_toml(cls.port, server_extra) + f'[admin]\nlisten = "127.0.0.1:{cls.admin}"\n'
                f'[storage]\nkind = "oss"\nbucket = "{bucket}"\nprefix = "{prefix}"\nregion = "cn-hangzhou"\n'
                f'endpoint = "{cls.emu.base}"\naccess_key_id = "{AK}"\naccess_key_secret_file = "{secret}"\n'
                + extra_toml)
    cls.log = open(os.path.join(cls.tmp.name, "certman.log"), "w")
    cls.proc = subprocess.Popen([BIN, "run", "-c", config], stdout=cls.log, stderr=subprocess.STDOUT)
    wait_port(cls.port, timeout=15, proc=cls.proc)


def stop_oss_instance(cls):
    """For tearDownClass: stops what start_oss_instance() started (the emulator through its class cleanup)."""
    cls.proc.terminate()
    cls.proc.wait(timeout=10)
    cls.log.close()
    cls.tmp.cleanup()
