"""Integration: `certman run` as a daemon against Pebble (README.md "Renewal policy and backoff"): issues what is missing at start, serves
/metrics with the stored not_after, does not re-order after a restart, issues a certificate added by SIGHUP,
keeps a failing name in a backoff that persists across restarts, and stops cleanly on SIGTERM mid-order."""
import json
import os
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import free_port  # noqa: E402
from daemon_harness import Daemon, unix  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


class RenewalDaemon(unittest.TestCase):
    def test_issue_at_start_metrics_restart_and_sighup(self):
        d = tempfile.mkdtemp(prefix="certman-daemon-")
        port = free_port()
        with Pebble(port) as pebble:
            dm = Daemon(d, pebble, port, [("alpha", ["alpha.example.test"]), ("beta", ["beta.example.test"])]).start()
            try:
                dm.wait_for(lambda: dm.bundle("alpha") and dm.bundle("beta"), what="both certificates")
                alpha = dm.bundle("alpha")
                want = f'certman_certificate_not_after_seconds{{name="alpha"}} {unix(alpha["not_after"])}'
                dm.wait_for(lambda: want in dm.metrics(), timeout=10, what="metrics with not_after")
                # The bundle is stored before the pass ends (deploy, then the counters): wait for beta's count
                # rather than read it once (under ASan the store and the count can be a second apart).
                renewed_beta = 'certman_renewals_total{name="beta",reason="missing"} 1'
                dm.wait_for(lambda: renewed_beta in dm.metrics(), timeout=10, what="beta's renewal counted")
                orders = pebble.orders_seen()
                self.assertEqual(orders, 2)
                # SIGHUP with an added certificate: issued without a restart, the others untouched.
                dm.write([("alpha", ["alpha.example.test"]), ("beta", ["beta.example.test"]),
                          ("gamma", ["gamma.example.test"])])
                os.kill(dm.proc.pid, signal.SIGHUP)
                dm.wait_for(lambda: dm.bundle("gamma"), what="gamma after SIGHUP")
                self.assertEqual(pebble.orders_seen(), 3)
                self.assertEqual(dm.bundle("alpha")["serial"], alpha["serial"])
            finally:
                self.assertEqual(dm.stop(), 0)
            # Restart: everything valid in storage, nothing is ordered again.
            dm.start()
            try:
                dm.wait_for(lambda: "not due" in dm.logs().split("configuration reloaded")[-1]
                            and dm.logs().count("not due") >= 3, timeout=20, what="decisions after restart")
                time.sleep(1)
                self.assertEqual(pebble.orders_seen(), 3)
            finally:
                self.assertEqual(dm.stop(), 0)

    def test_failing_name_backs_off_across_restart(self):
        d = tempfile.mkdtemp(prefix="certman-daemon-")
        port = free_port()
        with Pebble(port) as pebble:
            pebble.set_address("down.example.test", "127.0.0.2")  # nobody answers the validation
            dm = Daemon(d, pebble, port, [("down", ["down.example.test"])]).start()
            try:
                state = os.path.join(d, "state", "state", "down.json")
                def failures():
                    if not os.path.exists(state):
                        return 0
                    with open(state) as f:
                        return json.load(f)["failures"]["consecutive_failures"]
                dm.wait_for(lambda: failures() == 1, timeout=60, what="first failure recorded")
                self.assertIn("renewal failed (1 in a row)", dm.logs())
                self.assertIn("urn:ietf:params:acme:error:connection", dm.logs())
            finally:
                self.assertEqual(dm.stop(), 0)
            orders = pebble.orders_seen()
            dm.start()  # the next attempt is ~1 min away and that time survives the restart
            try:
                dm.wait_for(lambda: "backing off after 1 failures until" in dm.logs(), timeout=20, what="backoff log")
                time.sleep(1)
                self.assertEqual(pebble.orders_seen(), orders)
                self.assertRegex(dm.metrics(), r'certman_certificate_next_renewal_seconds\{name="down"\} [1-9]')
            finally:
                self.assertEqual(dm.stop(), 0)

    def test_sigterm_during_an_order_then_the_next_start_completes(self):
        d = tempfile.mkdtemp(prefix="certman-daemon-")
        port = free_port()
        # Let Pebble's validator sleep (up to 15 s) so the order is surely in flight when SIGTERM arrives.
        with Pebble(port, env={"PEBBLE_VA_NOSLEEP": None}) as pebble:
            dm = Daemon(d, pebble, port, [("slow", ["slow.example.test"])]).start()
            dm.wait_for(lambda: pebble.orders_seen() >= 1, timeout=30, what="the order to start")
            t = time.time()
            self.assertEqual(dm.stop(), 0)
            self.assertLess(time.time() - t, 8.0)
            self.assertIsNone(dm.bundle("slow"))
            self.assertEqual(os.listdir(os.path.join(d, "state", "leases")) if os.path.isdir(os.path.join(d, "state", "leases")) else [], [])
            dm.start()
            try:
                dm.wait_for(lambda: dm.bundle("slow"), timeout=90, what="the certificate after restart")
            finally:
                self.assertEqual(dm.stop(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
