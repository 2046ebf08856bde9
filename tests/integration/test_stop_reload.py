"""Integration: stopping, reloading and isolation of the daemon's tasks.
 - SIGTERM while an order is in flight (Pebble's validator sleeping, the order polling): exit 0 within 5 s,
   no crash, no sanitizer report (the suite also runs this under ASan+UBSan), and the lease released;
 - a reload whose file parses but whose deployer cannot be built is rejected (check-config rejects the same
   file); the daemon keeps the old configuration, and the next good reload applies the new one;
 - a certificate whose deploy hangs does not stop the others from being checked;
 - the daemon cannot dump core (RLIMIT_CORE 0; not dumpable: the files in /proc/PID belong to root), and the systemd
   unit says LimitCORE=0."""
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port, wait_port  # noqa: E402
from daemon_harness import Daemon  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CRASH = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|double free|Segmentation|Aborted")


class Stop(unittest.TestCase):
    def stop_within_5s(self, dm):
        """SIGTERM: the daemon exits 0 within 5 s and its log shows no crash. Returns the log."""
        t = time.monotonic()
        rc = dm.stop()
        elapsed = time.monotonic() - t
        logs = dm.logs()
        self.assertEqual(rc, 0, logs[-3000:])
        self.assertLess(elapsed, 5.0, logs[-3000:])
        self.assertIsNone(CRASH.search(logs), logs[-3000:])
        return logs

    def test_sigterm_mid_order_exits_0_within_5s(self):
        # Pebble's validator sleeps up to 15 s: the order is polling when SIGTERM arrives. Three points in it.
        port = free_port()
        with Pebble(port, env={"PEBBLE_VA_NOSLEEP": None}) as pebble:
            for delay in (0.0, 0.7, 2.0):
                with self.subTest(delay=delay):
                    d = tempfile.mkdtemp(prefix="certman-stop-")
                    dm = Daemon(d, pebble, pebble.http_port, [("slow", [f"slow{int(delay * 10)}.example.test"])])
                    seen = pebble.orders_seen()
                    dm.start()
                    dm.wait_for(lambda: pebble.orders_seen() > seen, timeout=30, what="the order to start")
                    time.sleep(delay)
                    logs = self.stop_within_5s(dm)
                    self.assertIn("stopped", logs)
                    leases = os.path.join(d, "state", "leases")
                    self.assertEqual(os.listdir(leases) if os.path.isdir(leases) else [], [])

    def test_sigterm_during_a_hung_deploy_exits_0_within_5s(self):
        # A reload command that never ends: the stop must cancel it (the child is killed), not wait for it.
        d = tempfile.mkdtemp(prefix="certman-stop-deploy-")
        port = free_port()
        os.makedirs(os.path.join(d, "out"))
        hang = (f'[[deployer]]\nname = "hang"\nkind = "files"\ndirectory = "{d}/out"\n'
                'reload_command = ["sleep", "3600"]\ntimeout = "3600s"\n')
        with Pebble(port) as pebble:
            dm = Daemon(d, pebble, port, [("stuck", ["stuck.example.test"], {"deploy": ["hang"]})], hang).start()
            dm.wait_for(lambda: os.path.exists(os.path.join(d, "out", "fullchain.pem")), timeout=60,
                        what="the hung deploy")
            self.stop_within_5s(dm)


class Reload(unittest.TestCase):
    def test_bad_deployer_reload_keeps_old_config_then_good_reload_applies(self):
        d = tempfile.mkdtemp(prefix="certman-reload-")
        port = free_port()
        with Pebble(port) as pebble:
            dm = Daemon(d, pebble, port, [("first", ["first.example.test"])]).start()
            try:
                dm.wait_for(lambda: dm.bundle("first"), timeout=60, what="first")
                # Parses, but the haproxy deployer cannot be built (crt_path must be absolute).
                bad = ('[[deployer]]\nname = "lb"\nkind = "haproxy"\nsocket = "/nonexistent.sock"\n'
                       'crt_path = "relative.pem"\n')
                dm.write([("first", ["first.example.test"]), ("second", ["second.example.test"])], bad)
                r = subprocess.run([BIN, "check-config", "-c", dm.config], capture_output=True, text=True)
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn("crt_path must be an absolute path", r.stderr)
                os.kill(dm.proc.pid, signal.SIGHUP)
                dm.wait_for(lambda: "reload rejected" in dm.logs(), timeout=10, what="the rejection")
                self.assertIn("crt_path must be an absolute path", dm.logs())
                # Alive, still on the old configuration: "second" is not managed.
                status = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{dm.admin}/status", timeout=5).read())
                self.assertEqual([c["name"] for c in status["certificates"]], ["first"])
                time.sleep(1)
                self.assertIsNone(dm.bundle("second"))
                # The same file with the deployer fixed: accepted by check-config, then by the daemon.
                dm.write([("first", ["first.example.test"]), ("second", ["second.example.test"])],
                         bad.replace('"relative.pem"', f'"{d}/lb.pem"'))
                r = subprocess.run([BIN, "check-config", "-c", dm.config], capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
                os.kill(dm.proc.pid, signal.SIGHUP)
                dm.wait_for(lambda: dm.bundle("second"), timeout=60, what="second after the good reload")
                self.assertIsNone(dm.proc.poll())
            finally:
                self.assertEqual(dm.stop(), 0)


class Isolation(unittest.TestCase):
    def test_a_hung_deploy_does_not_block_other_certificates(self):
        d = tempfile.mkdtemp(prefix="certman-isolation-")
        port = free_port()
        with Pebble(port) as pebble:
            os.makedirs(os.path.join(d, "out"))
            hang = (f'[[deployer]]\nname = "hang"\nkind = "files"\ndirectory = "{d}/out"\n'
                    'reload_command = ["sleep", "3600"]\ntimeout = "3600s"\n')
            dm = Daemon(d, pebble, port, [("stuck", ["stuck.example.test"], {"deploy": ["hang"]}),
                                          ("free", ["free.example.test"])], hang).start()
            try:
                dm.wait_for(lambda: dm.bundle("stuck") and dm.bundle("free"), timeout=60, what="both certificates")
                dm.wait_for(lambda: os.path.exists(os.path.join(d, "out", "fullchain.pem")), timeout=10,
                            what="the hung deploy")
                # "stuck" is inside its deploy (sleep 3600); "free" is still checked on every wake-up.
                for _ in range(3):
                    dm.reload_pass(["free"], timeout=10)
                m = re.search(r'certman_certificate_checks_total\{name="free"\} (\d+)', dm.metrics())
                self.assertIsNotNone(m, dm.metrics())
                self.assertGreaterEqual(int(m.group(1)), 4)
                m = re.search(r'certman_certificate_checks_total\{name="stuck"\} (\d+)', dm.metrics())
                self.assertEqual(int(m.group(1)) if m else 0, 0)
            finally:
                t = time.monotonic()
                self.assertEqual(dm.stop(), 0)  # the hung deploy is cancelled too
                self.assertLess(time.monotonic() - t, 8.0)


class NoCoreDumps(unittest.TestCase):
    def test_daemon_is_not_dumpable_and_unit_limits_core(self):
        with open(os.path.join(ROOT, "deploy", "systemd", "certman.service")) as f:
            self.assertRegex(f.read(), r"(?m)^LimitCORE=0$")
        d = tempfile.mkdtemp(prefix="certman-dump-")
        port, admin = free_port(), free_port()
        config = os.path.join(d, "certman.toml")
        with open(config, "w") as f:
            f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nlisten = "127.0.0.1:{admin}"\n'
                    f'[storage]\npath = "{d}/state"\n')
        argv = [BIN, "run", "-c", config]
        as_root = os.geteuid() == 0
        if as_root:  # run it as nobody, so that a root-owned /proc/PID means "not dumpable"
            nobody = pwd.getpwnam("nobody")
            os.chown(d, nobody.pw_uid, nobody.pw_gid)
            os.chmod(d, 0o700)
            argv = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"] + argv
        log = open(os.path.join(d, "log"), "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=log)
        try:
            wait_port(port, proc=proc)
            with open(f"/proc/{proc.pid}/limits") as f:
                self.assertRegex(f.read(), r"Max core file size\s+0\s+0")
            # proc(5): the files in /proc/PID belong to root when the process is not dumpable.
            self.assertEqual(os.stat(f"/proc/{proc.pid}/status").st_uid, 0)
            with open(f"/proc/{proc.pid}/status") as f:
                uid = int(re.search(r"(?m)^Uid:\s+(\d+)", f.read()).group(1))
            self.assertNotEqual(uid, 0)  # so the root-owned /proc/PID/status comes from PR_SET_DUMPABLE 0
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(10), 0)
            log.close()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
