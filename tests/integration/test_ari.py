"""Integration: ACME Renewal Information (RFC 9773) against a fake endpoint (ari_proxy.py) in front
of Pebble. certman must ask for the right certID, follow a future window without ordering, renew at once in a
past window with `replaces`, order again without `replaces` after 409 alreadyReplaced, not poll again before
Retry-After, and fall back to the lifetime rule, with a clear warning and no request storm, when the answer is
broken. Passes of the renewal loop are driven by SIGHUP."""
import datetime
import os
import re
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from ari_proxy import AriProxy, cert_id, window  # noqa: E402
from certman_harness import free_port  # noqa: E402
from daemon_harness import Daemon, unix  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


def now_plus(**delta):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)


def domain(name):
    return f"{name}.example.test"


class Ari(unittest.TestCase):
    def start(self, names, renewal_info):
        """Pebble, the proxy answering renewalInfo with renewal_info(name, generation), and certman managing
        `names`; returns (pebble, proxy, daemon) once every certificate is issued."""
        d = tempfile.mkdtemp(prefix="certman-ari-")
        port = free_port()
        pebble = Pebble(port).start()
        self.addCleanup(pebble.stop)
        proxy = AriProxy(pebble).start()
        self.addCleanup(proxy.stop)
        proxy.renewal_info = lambda cid, sans, generation: renewal_info(sans[0].split(".")[0], generation)
        dm = Daemon(d, pebble, port, [(n, [domain(n)]) for n in names], directory=proxy.directory_url).start()
        self.addCleanup(lambda: self.assertEqual(dm.stop(), 0))
        dm.wait_for(lambda: all(dm.bundle(n) for n in names), what="the first certificates")
        self.assertEqual(proxy.renewal_info_gets(), [], "no renewalInfo before a certificate exists")
        return pebble, proxy, dm

    def test_windows_cert_id_replaces_and_retry_after(self):
        future = (now_plus(days=10), now_plus(days=11))
        explanation = "https://ca.example/incident-42"

        def answer(name, generation):
            if name == "later" or generation > 0:
                return window(*future, retry_after=7200)
            return window(now_plus(hours=-2), now_plus(hours=-1), explanation_url=explanation)  # "now", first one

        pebble, proxy, dm = self.start(["later", "now"], answer)
        later, now = dm.bundle("later"), dm.bundle("now")
        later_id, now_id = cert_id(later["certificate_pem"]), cert_id(now["certificate_pem"])
        polled_at = time.time()
        dm.reload_pass(["later", "now"], timeout=60)  # this pass orders "now": a whole order, under ASan too
        dm.wait_for(lambda: dm.bundle("now")["serial"] != now["serial"], what="the renewal inside the past window")

        # The certIDs certman asked for are the ones computed here from the stored certificates.
        self.assertEqual(len(proxy.renewal_info_gets(later_id)), 1)
        self.assertEqual(len(proxy.renewal_info_gets(now_id)), 1)
        # Future window: no order; the renewal is planned inside the window, the poll at Retry-After.
        self.assertEqual(len(proxy.new_orders(domain("later"))), 1)
        status = dm.status("later")
        self.assertEqual(status["next_renewal_reason"], "ari_window")
        self.assertTrue(future[0].timestamp() - 1 <= status["next_renewal"] <= future[1].timestamp() + 1, status)
        next_poll = unix(dm.state("later")["ari"]["next_poll"])
        self.assertTrue(polled_at + 7200 - 5 <= next_poll <= time.time() + 7200, next_poll - polled_at)
        # Past window: exactly one more order, which names the certificate it replaces.
        orders = proxy.new_orders(domain("now"))
        self.assertEqual([o["payload"].get("replaces") for o in orders], [None, now_id])
        self.assertEqual([o["status"] for o in orders], [201, 201])
        self.assertEqual(pebble.orders_seen(), 3)
        logs = dm.logs()
        self.assertEqual(len(re.findall(r"certificate now: renew: reached the CA's suggested window", logs)), 1, logs)
        self.assertIn(explanation, logs)
        # The bundle is stored before the pass ends and updates the live status: wait for the status to follow.
        dm.wait_for(lambda: dm.status("now")["serial"] == dm.bundle("now")["serial"], timeout=10,
                    what="the live status showing the new serial")

        # More passes: the new certificate gets its own (future) window once; nothing is re-polled before its
        # Retry-After and nothing more is ordered.
        new_id = cert_id(dm.bundle("now")["certificate_pem"])
        dm.reload_pass(["later", "now"])
        dm.reload_pass(["later", "now"])
        self.assertEqual(len(proxy.renewal_info_gets(new_id)), 1)
        self.assertEqual(len(proxy.renewal_info_gets()), 3)
        self.assertEqual(pebble.orders_seen(), 3)
        self.assertEqual(dm.status("now")["next_renewal_reason"], "ari_window")

    def test_already_replaced_orders_once_more_without_replaces(self):
        def answer(name, generation):
            if generation == 0:
                return window(now_plus(hours=-2), now_plus(minutes=-1))
            return window(now_plus(days=10), now_plus(days=11))

        pebble, proxy, dm = self.start(["dup"], answer)
        first = dm.bundle("dup")
        old_id = cert_id(first["certificate_pem"])
        proxy.reject_replaces_once.add(old_id)
        dm.reload_pass(["dup"], timeout=60)  # this pass orders twice (refused, then without replaces)
        dm.wait_for(lambda: dm.bundle("dup")["serial"] != first["serial"], what="the renewal after alreadyReplaced")
        orders = proxy.new_orders(domain("dup"))
        self.assertEqual([(o["payload"].get("replaces"), o["status"]) for o in orders],
                         [(None, 201), (old_id, 409), (None, 201)])
        self.assertEqual(pebble.orders_seen(), 2)
        self.assertEqual(dm.logs().count(f"certificate {old_id} was already replaced; ordering without"), 1)
        dm.reload_pass(["dup"])
        dm.reload_pass(["dup"])
        self.assertEqual(len(proxy.new_orders(domain("dup"))), 3)
        status = dm.status("dup")
        self.assertEqual((status["consecutive_failures"], status["last_error"]), (0, ""))
        self.assertIn('certman_renewals_total{name="dup",reason="ari_window"} 1\n', dm.metrics())

    def test_broken_answers_fall_back_to_the_lifetime_rule(self):
        broken = {
            "e500": (500, {"Content-Type": "application/problem+json", "Retry-After": "3600"},
                     b'{"type":"urn:ietf:params:acme:error:serverInternal","detail":"boom"}'),
            "ejson": (200, {"Content-Type": "application/json"}, b'{"suggestedWindow": {"start": '),
            "ewin": window(now_plus(days=2), now_plus(days=1)),  # end before start
        }
        pebble, proxy, dm = self.start(sorted(broken), lambda name, generation: broken[name])
        dm.reload_pass(sorted(broken))
        for _ in range(2):
            dm.reload_pass(sorted(broken))
        logs = dm.logs()
        for name in broken:
            with self.subTest(name=name):
                self.assertEqual(len(proxy.renewal_info_gets(cert_id(dm.bundle(name)["certificate_pem"]))), 1,
                                 "polled again before the next poll time")
                self.assertEqual(dm.status(name)["next_renewal_reason"], "lifetime_fraction")
                self.assertEqual(len(proxy.new_orders(domain(name))), 1)
                warnings = [l for l in logs.splitlines() if f"certificate {name}: renewalInfo" in l]
                self.assertEqual(len(warnings), 1, logs[-3000:])
                self.assertIn("lifetime rule", warnings[0])
        self.assertIn("HTTP 500", logs)
        self.assertIn("not JSON", logs)
        self.assertIn("end is not after start", logs)
        poll = {n: unix(dm.state(n)["ari_next_poll"]) - time.time() for n in broken}
        self.assertTrue(3600 - 30 <= poll["e500"] <= 3600, poll)
        self.assertTrue(6 * 3600 - 30 <= poll["ewin"] <= 6 * 3600, poll)
        self.assertEqual(pebble.orders_seen(), 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
