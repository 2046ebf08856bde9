#!/usr/bin/env python3
"""A lease left by a process of this host that no longer exists (killed with -9 mid-order) is stale at once:
`certman renew --force` takes it over instead of waiting out its TTL. A live holder, and a holder on another
host (cluster mode: only the expiry counts there), still block it; a pid now used by a process started at
another time is not mistaken for the holder."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402
from test_acme_pebble import renew, write_config  # noqa: E402

BUSY = "another certman instance is renewing it"


def start_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[19])


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


class StaleLease(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.pebble = Pebble(cls.port).start()
        cls.addClassCleanup(cls.pebble.stop)

    def run_with_lease(self, owner):
        d = tempfile.mkdtemp(prefix="certman-lease-")
        config = write_config(d, self.port, self.pebble, [("web", ["web.example.test"], "ec256")])
        os.makedirs(os.path.join(d, "state", "leases"))
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        with open(os.path.join(d, "state", "leases", "web.json"), "w") as f:
            json.dump({"owner": owner, "expires": expires}, f)
        t0 = time.monotonic()
        r = renew(config, "--force", "web")
        return r, time.monotonic() - t0, d

    def test_dead_local_owner_is_taken_over_at_once(self):
        r, secs, d = self.run_with_lease(f"{socket.gethostname()}/{dead_pid()}/12345/{start_ticks(os.getpid())}")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn(BUSY, r.stdout)
        self.assertLess(secs, 60, "took over at once, not after the lease's hour")
        self.assertTrue(os.path.exists(os.path.join(d, "state", "certificates", "web.json")))
        self.assertFalse(os.path.exists(os.path.join(d, "state", "leases", "web.json")))  # released after

    def test_old_owner_format_dead_pid(self):
        r, _, _ = self.run_with_lease(f"{socket.gethostname()}/{dead_pid()}/12345")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_reused_pid_is_not_the_owner(self):
        sleeper = subprocess.Popen(["sleep", "60"])
        try:
            owner = f"{socket.gethostname()}/{sleeper.pid}/1/{start_ticks(sleeper.pid) + 1}"
            r, _, _ = self.run_with_lease(owner)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        finally:
            sleeper.kill()
            sleeper.wait()

    def test_live_local_owner_blocks(self):
        sleeper = subprocess.Popen(["sleep", "60"])
        try:
            r, _, _ = self.run_with_lease(f"{socket.gethostname()}/{sleeper.pid}/1/{start_ticks(sleeper.pid)}")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(BUSY, r.stdout)
        finally:
            sleeper.kill()
            sleeper.wait()

    def test_other_host_keeps_the_ttl_rule(self):
        r, _, _ = self.run_with_lease(f"{socket.gethostname()}-elsewhere/{dead_pid()}/1/5")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(BUSY, r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
