"""Integration (README.md "Renewal policy and backoff"): forcing a renewal window causes exactly one new order.

Pebble issues one-hour certificates. Once certman holds one, a reload sets renew_before to the lifetime minus
GAP seconds: a certificate is then due once it is GAP seconds old, so the stored one (older) is due at once
and its successor is not for GAP seconds. Exactly one more order must reach Pebble, the new serial must show in
storage, /status and /metrics, the log must say why once, and further passes (driven by SIGHUP, well inside
those GAP seconds) must order nothing."""
import os
import re
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import free_port  # noqa: E402
from daemon_harness import Daemon, unix  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

LIFETIME = 3600  # Pebble's certificateValidityPeriod: short, yet the 1/2 rule leaves a fresh one 30 min
GAP = 8          # seconds a certificate may age before the forced renew_before makes it due
NAME, DOMAIN = "win", "win.example.test"


class RenewalWindow(unittest.TestCase):
    def test_forced_window_orders_exactly_once(self):
        d = tempfile.mkdtemp(prefix="certman-window-")
        port = free_port()
        with Pebble(port, config={"certificateValidityPeriod": LIFETIME}) as pebble:
            extra = '[renewal]\ncheck_interval = "10s"'
            dm = Daemon(d, pebble, port, [(NAME, [DOMAIN])], extra=extra).start()
            try:
                dm.wait_for(lambda: dm.bundle(NAME), what="the first certificate")
                first = dm.bundle(NAME)
                lifetime = unix(first["not_after"]) - unix(first["not_before"])
                self.assertTrue(LIFETIME - 5 <= lifetime <= LIFETIME, f"Pebble ignored the validity: {lifetime} s")
                self.assertEqual(pebble.orders_seen(), 1)
                dm.reload_pass([NAME])  # under the default policy a fresh certificate is not due
                self.assertEqual(pebble.orders_seen(), 1)

                while time.time() < unix(first["not_before"]) + GAP + 1:
                    time.sleep(0.2)
                renew_before = lifetime - GAP
                dm.write([(NAME, [DOMAIN], {"renew_before": f"{renew_before}s"})], extra)
                os.kill(dm.proc.pid, signal.SIGHUP)
                dm.wait_for(lambda: dm.bundle(NAME)["serial"] != first["serial"], timeout=60, what="the renewal")
                second = dm.bundle(NAME)
                self.assertEqual(pebble.orders_seen(), 2)

                for _ in range(3):
                    dm.reload_pass([NAME])
                # The passes above only prove something while the new certificate is not due yet.
                self.assertLess(time.time(), unix(second["not_before"]) + GAP - 1, "the check ran too late")
                self.assertEqual(pebble.orders_seen(), 2)

                status = dm.status(NAME)
                self.assertEqual(status["serial"], second["serial"])
                self.assertEqual(status["not_after"], unix(second["not_after"]))
                self.assertEqual(status["next_renewal"], unix(second["not_after"]) - renew_before)
                self.assertEqual(status["next_renewal_reason"], "renew_before")
                metrics = dm.metrics()
                self.assertIn(f'certman_certificate_not_after_seconds{{name="{NAME}"}} {unix(second["not_after"])}\n',
                              metrics)
                self.assertIn(f'certman_renewals_total{{name="{NAME}",reason="renew_before"}} 1\n', metrics)
                self.assertIn(f'certman_renewals_total{{name="{NAME}",reason="missing"}} 1\n', metrics)
                why = re.findall(rf"certificate {NAME}: renew: .*within renew_before of .*", dm.logs())
                self.assertEqual(len(why), 1, dm.logs()[-3000:])
            finally:
                self.assertEqual(dm.stop(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
