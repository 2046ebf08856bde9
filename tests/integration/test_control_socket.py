"""Integration: the daemon's control socket and the CLI that talks to it (README "Commands").
 - `certman renew --force NAME` while `certman run` serves the port: the daemon renews (no second process
   fights for the port), the CLI prints its progress line by line, and /health answers 200 throughout;
 - `certman reload` with a configuration the daemon refuses: exit 1, the daemon's reason printed, the daemon
   still on the old configuration; a good reload then applies;
 - a uid that is neither root nor the daemon's is refused: by the socket file's mode (0660), and by
   SO_PEERCRED when the mode is opened up; a member of the daemon's group by a supplementary group is served;
 - `certman account rollover` while the daemon runs: its next order uses the new key without a reload;
 - hostile input (not JSON, a line over the bound, silence) is refused or cut off, and the daemon goes on;
 - `certman status [--json]` is live through the socket and has /status's fields; standalone too;
 - `certman revoke` through the socket; a stale socket file is replaced at start; the socket is removed at
   exit; SIGTERM during a control request still stops the daemon within 5 s."""
import json
import os
import pwd
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

# A Python that every user may run (the one running the tests may live under /root).
SYSTEM_PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from daemon_harness import Daemon  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


def cli(*args, timeout=120, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, **kw)


def talk(path, data, timeout=10):
    """Sends raw bytes on the control socket; returns what the daemon answers until it closes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        if data:
            s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:  # closed with our bytes unread
                chunk = b""
            if not chunk:
                return out.decode()
            out += chunk


class HealthPoller(threading.Thread):
    """GET /health in a loop; counts answers other than 200 OK."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.ok, self.failed, self.errors = port, 0, 0, []
        self.stop_flag = threading.Event()

    def run(self):
        while not self.stop_flag.is_set():
            try:
                r = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2)
                if r.status == 200 and r.read() == b"OK":
                    self.ok += 1
                else:
                    self.failed += 1
            except Exception as e:  # noqa: BLE001 - any failure is a failed health check
                self.failed += 1
                self.errors.append(repr(e))
            time.sleep(0.02)


class ControlSocket(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.pebble = Pebble(cls.port).start()
        cls.d = tempfile.mkdtemp(prefix="certman-ctl-")
        os.chmod(cls.d, 0o711)  # nobody may reach the socket file (its own mode decides)
        cls.dm = Daemon(cls.d, cls.pebble, cls.port, [("www", ["www.example.test"]), ("api", ["api.example.test"])])
        cls.dm.start()
        cls.dm.wait_for(lambda: cls.dm.bundle("www") and cls.dm.bundle("api"), timeout=90, what="both certificates")

    @classmethod
    def tearDownClass(cls):
        rc = cls.dm.stop()
        cls.pebble.stop()
        assert rc == 0, cls.dm.logs()[-3000:]
        assert not os.path.exists(cls.dm.socket), "the socket file outlived the daemon"

    def test_socket_mode_and_owner(self):
        st = os.stat(self.dm.socket)
        self.assertEqual(st.st_mode & 0o777, 0o660)
        self.assertEqual((st.st_uid, st.st_gid), (os.geteuid(), os.getegid()))

    def test_renew_force_while_serving_health(self):
        before = self.dm.bundle("www")["serial"]
        poller = HealthPoller(self.port)
        poller.start()
        try:
            time.sleep(0.3)
            r = cli("renew", "--force", "-c", self.dm.config, "www")
            time.sleep(0.3)
        finally:
            poller.stop_flag.set()
            poller.join(10)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotEqual(self.dm.bundle("www")["serial"], before)
        lines = r.stdout.splitlines()
        self.assertIn("certificate www: renewal forced by the operator", lines, r.stdout)
        self.assertTrue(any(l.startswith("certificate www: obtained serial") for l in lines), r.stdout)
        self.assertTrue(lines[-1].startswith("ok   www: "), r.stdout)
        self.assertFalse(any("api" in l for l in lines), "progress of another certificate leaked: " + r.stdout)
        self.assertNotIn("cannot listen", r.stderr)
        self.assertEqual(poller.failed, 0, poller.errors[:5])
        self.assertGreater(poller.ok, 5)

    def test_renew_unknown_name_is_a_usage_error(self):
        r = cli("renew", "-c", self.dm.config, "nosuch")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn('no [[certificate]] named "nosuch"', r.stderr)

    def test_refused_reload_keeps_the_running_configuration(self):
        certs = [("www", ["www.example.test"]), ("api", ["api.example.test"])]
        # Parses as TOML, but the haproxy deployer cannot be built (crt_path must be absolute).
        bad = ('[[deployer]]\nname = "lb"\nkind = "haproxy"\nsocket = "/nonexistent.sock"\n'
               'crt_path = "relative.pem"\n')
        try:
            self.dm.write(certs + [("extra", ["extra.example.test"])], bad)
            r = cli("reload", "-c", self.dm.config, timeout=30)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("reload refused", r.stderr)
            self.assertIn("crt_path must be an absolute path", r.stderr)
            st = json.loads(cli("status", "--json", "-c", self.dm.config).stdout)
            self.assertEqual(sorted(c["name"] for c in st["certificates"]), ["api", "www"])
            self.assertIsNone(self.dm.proc.poll())
            # The same file fixed: accepted, and the new certificate is managed.
            self.dm.write(certs + [("extra", ["extra.example.test"])], bad.replace('"relative.pem"', f'"{self.d}/lb.pem"'))
            r = cli("reload", "-c", self.dm.config, timeout=30)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("configuration reloaded", r.stdout)
            st = json.loads(cli("status", "--json", "-c", self.dm.config).stdout)
            self.assertIn("extra", [c["name"] for c in st["certificates"]])
        finally:
            self.dm.write(certs)
            cli("reload", "-c", self.dm.config, timeout=30)

    def test_unauthorized_uid_is_refused(self):
        nobody = pwd.getpwnam("nobody")

        def as_nobody():
            os.setgid(nobody.pw_gid)
            os.setgroups([])
            os.setuid(nobody.pw_uid)

        probe = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
                 "try:\n s.connect(sys.argv[1])\nexcept OSError as e:\n print('connect', e.errno); sys.exit(0)\n"
                 "s.sendall(b'{\"command\":\"status\"}\\n')\nprint(s.recv(4096).decode().strip())\n")
        # The file's mode (0660, root's) keeps nobody out...
        r = subprocess.run([SYSTEM_PYTHON, "-c", probe, self.dm.socket], capture_output=True, text=True,
                           preexec_fn=as_nobody, timeout=30)
        self.assertEqual(r.stdout.strip(), "connect 13", r.stdout + r.stderr)
        cl = subprocess.run([BIN, "status", "-c", self.dm.config], capture_output=True, text=True,
                            preexec_fn=as_nobody, timeout=30)
        self.assertEqual(cl.returncode, 5, cl.stdout + cl.stderr)
        self.assertIn("permission denied", cl.stderr)
        # ... and with the mode opened up by mistake, SO_PEERCRED still does.
        os.chmod(self.dm.socket, 0o666)
        try:
            r = subprocess.run([SYSTEM_PYTHON, "-c", probe, self.dm.socket], capture_output=True, text=True,
                               preexec_fn=as_nobody, timeout=30)
            reply = json.loads(r.stdout)
            self.assertEqual((reply["event"], reply["exit"]), ("done", 5), r.stdout)
            self.assertNotIn("data", reply)
            self.assertIn("permission denied", reply["message"])
            self.assertIn("refused a connection from uid 65534", self.dm.logs())
        finally:
            os.chmod(self.dm.socket, 0o660)

    def test_member_of_the_daemons_group_is_served(self):
        # A user whose primary group is not the daemon's but who is in it as a supplementary group (usermod -aG
        # certman alice): the socket file's 0660 mode lets them connect, and SO_PEERGROUPS lets them in.
        nobody = pwd.getpwnam("nobody")
        daemon_gid = os.stat(self.dm.socket).st_gid

        def as_member():
            os.setgid(nobody.pw_gid)
            os.setgroups([daemon_gid])
            os.setuid(nobody.pw_uid)

        refusals = self.dm.logs().count("refused a connection from uid 65534")
        cl = subprocess.run([BIN, "status", "--json", "-c", self.dm.config], capture_output=True, text=True,
                            preexec_fn=as_member, timeout=30)
        self.assertEqual(cl.returncode, 0, cl.stdout + cl.stderr)
        self.assertIn("certificates", json.loads(cl.stdout))
        self.assertEqual(self.dm.logs().count("refused a connection from uid 65534"), refusals)

    def test_hostile_input(self):
        bad = json.loads(talk(self.dm.socket, b"nonsense\n"))
        self.assertEqual(bad["exit"], 2)
        self.assertIn("bad request: not JSON", bad["message"])
        unknown = json.loads(talk(self.dm.socket, b'{"command":"status","exec":"id"}\n'))
        self.assertIn('unknown field "exec"', unknown["message"])
        self.assertEqual(talk(self.dm.socket, b"x" * 5000), "")  # over the line bound: closed, nothing done
        t = time.monotonic()
        self.assertEqual(talk(self.dm.socket, b"", timeout=30), "")  # silence: closed after the request timeout
        self.assertLess(time.monotonic() - t, 25)
        # Several requests on one connection, up to the bound (4); then closed.
        many = talk(self.dm.socket, b'{"command":"status"}\n' * 6).splitlines()
        self.assertEqual(len(many), 4)
        self.assertTrue(all(json.loads(l)["exit"] == 0 for l in many))
        self.assertIsNone(self.dm.proc.poll())
        self.assertEqual(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5).status, 200)

    def test_status_live_and_json_has_the_fields_of_status(self):
        http = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{self.dm.admin}/status", timeout=5).read())
        r = cli("status", "--json", "-c", self.dm.config)
        self.assertEqual(r.returncode, 0, r.stderr)
        live = json.loads(r.stdout)
        self.assertEqual(set(live), set(http))
        self.assertEqual(set(live["certificates"][0]), set(http["certificates"][0]))
        self.assertGreater(live["uptime_seconds"] + 1, 0)
        table = cli("status", "-c", self.dm.config)
        self.assertEqual(table.returncode, 0, table.stdout + table.stderr)
        self.assertIn("www", table.stdout)
        self.assertIn("api.example.test", table.stdout)

    def test_revoke_through_the_daemon(self):
        r = cli("renew", "--force", "-c", self.dm.config, "api")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        serial = self.dm.bundle("api")["serial"]
        r = cli("revoke", "-c", self.dm.config, "api", "--reason", "superseded")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"revoked api (serial {serial}, reason superseded)", r.stdout)
        r = cli("revoke", "-c", self.dm.config, "api")
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)  # Pebble: alreadyRevoked
        self.assertIn("revocation failed", r.stderr)

    def test_rollover_while_running_then_renew(self):
        # `certman account rollover` is a standalone command: the daemon still holds the old key. The CA refuses
        # the old key's signatures from then on; the daemon must notice that storage holds another key and use
        # it, without a reload (README "Commands", account rollover).
        r = cli("account", "rollover", "-c", self.dm.config)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = cli("renew", "--force", "-c", self.dm.config, "www")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("account key in storage is not the one", self.dm.logs())


class Lifecycle(unittest.TestCase):
    def test_stale_socket_replaced_sigterm_mid_request_and_removal(self):
        port = free_port()
        with Pebble(port, env={"PEBBLE_VA_NOSLEEP": None}) as pebble:
            d = tempfile.mkdtemp(prefix="certman-ctl-life-")
            dm = Daemon(d, pebble, port, [("slow", ["slow.example.test"])])
            stale = socket.socket(socket.AF_UNIX)
            stale.bind(dm.socket)  # bound, never listening, then closed: the file stays, nothing answers
            stale.close()
            dm.start()
            dm.wait_for(lambda: os.path.exists(dm.socket) and "control socket on" in dm.logs(), timeout=10,
                        what="the control socket")
            # A second daemon with another config must not take the socket over.
            d2 = tempfile.mkdtemp(prefix="certman-ctl-second-")
            dm2 = Daemon(d2, pebble, free_port(), [("other", ["other.example.test"])])
            with open(dm2.config) as f:
                text = f.read().replace(dm2.socket, dm.socket)
            with open(dm2.config, "w") as f:
                f.write(text)
            dm2.start()
            dm2.wait_for(lambda: "another process (a running certman?) answers on it" in dm2.logs(), timeout=10,
                         what="the refusal to take the socket")
            # The CLI with the second config reaches the first daemon, sees another config, and says so.
            r = cli("status", "--json", "-c", dm2.config, timeout=30)
            self.assertIn("runs with " + dm.config, r.stderr)
            self.assertEqual(dm2.stop(), 0)
            self.assertTrue(os.path.exists(dm.socket), "the second daemon removed the first one's socket")
            # SIGTERM while a forced renewal runs through the socket (Pebble's validator sleeps up to 15 s).
            dm.wait_for(lambda: dm.bundle("slow"), timeout=90, what="the first certificate")
            seen = pebble.orders_seen()
            client = subprocess.Popen([BIN, "renew", "--force", "-c", dm.config, "slow"], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
            dm.wait_for(lambda: pebble.orders_seen() > seen, timeout=30, what="the forced order")
            time.sleep(0.5)
            self.assertIsNone(client.poll(), "the forced renewal ended before the stop")
            t = time.monotonic()
            self.assertEqual(dm.stop(), 0, dm.logs()[-3000:])
            self.assertLess(time.monotonic() - t, 5.0)
            out, err = client.communicate(timeout=30)
            self.assertEqual(client.returncode, 4, out + err)
            print(f"\n  renew cut by SIGTERM: {out.strip()!r} / {err.strip()!r}")
            self.assertIn("FAIL slow: ", out)  # the outcome reaches the caller before the daemon exits
            self.assertIn("certman is stopping", out)
            self.assertFalse(os.path.exists(dm.socket))
            # With no daemon, status runs standalone from storage, with the same fields.
            r = cli("status", "--json", "-c", dm.config, timeout=30)
            doc = json.loads(r.stdout)
            self.assertEqual(set(doc), {"version", "uptime_seconds", "challenges_published", "certificates"})
            self.assertEqual(doc["certificates"][0]["name"], "slow")


if __name__ == "__main__":
    unittest.main(verbosity=2)
