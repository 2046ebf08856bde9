#!/usr/bin/env python3
"""A storage that refuses writes (a full disk) must not make certman order on every pass: the renewal state is
saved before each order and nothing is ordered unless that write succeeded; the failure and its backoff stay in
memory; /status, /metrics and `certman status` show the storage error. The state directory's certificates/ and
state/ are tiny tmpfs mounts filled to the last byte (leases/ and accounts/ stay writable, as on a disk with a
few blocks left), so the lease can be taken and the old code did order, every pass."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from daemon_harness import Daemon  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


def mount_full_tmpfs(path):
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", path], capture_output=True)
    if r.returncode != 0:
        return False
    fd = os.open(os.path.join(path, ".fill"), os.O_WRONLY | os.O_CREAT)  # keys never start with '.'
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError:
        pass
    os.close(fd)
    return True


class StorageFull(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="certman-full-")
        self.mounts = []
        for sub in ("certificates", "state"):
            path = os.path.join(self.d, "state", sub)
            if not mount_full_tmpfs(path):
                self.skipTest("cannot mount a tmpfs here (needs root)")
            self.mounts.append(path)

    def tearDown(self):
        for m in self.mounts:
            subprocess.run(["umount", "-l", m])

    def test_no_order_while_state_cannot_be_saved(self):
        port = free_port()
        with Pebble(port) as pebble:
            dm = Daemon(self.d, pebble, port, [("full", ["full.example.test"])]).start()
            try:
                dm.wait_for(lambda: dm.status("full")["checks"] >= 1, timeout=30, what="the first pass")
                for _ in range(3):
                    dm.reload_pass(["full"])
                self.assertLessEqual(pebble.orders_seen(), 1, dm.logs()[-3000:])
                self.assertEqual(pebble.orders_seen(), 0, "the state write before the order failed: no order")
                st = dm.status("full")
                self.assertIn("No space left on device", st["storage_error"])
                self.assertGreaterEqual(st["storage_errors"], 1)
                self.assertGreaterEqual(st["consecutive_failures"], 1)   # the failure is remembered in memory
                self.assertIn("backing off", dm.logs())                 # ... and its backoff holds
                metrics = dm.metrics()
                self.assertRegex(metrics, r'certman_storage_errors_total\{name="full"\} [1-9]')
                self.assertIn('certman_certificate_storage_ok{name="full"} 0', metrics)
                status = subprocess.run([BIN, "status", "-c", dm.config], capture_output=True, text=True, timeout=30)
                self.assertIn("STORAGE ERROR", status.stdout, status.stdout + status.stderr)
                self.assertIn("No space left on device", status.stdout)
                self.assertEqual(status.returncode, 4)
            finally:
                self.assertEqual(dm.stop(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
