"""Integration (README "Reliability: what the tests show"): certman against a broken or hostile CA, played by ari_proxy.py's
hooks in front of Pebble. The CA never finishes validating and answers every poll with Retry-After: 0 (certman
must keep its own growing schedule), or with an absurd Retry-After (8000000000 s, 20 digits, year 9999: the
order must end at once, not sleep for centuries), or stalls a response (the order must still end by
order_timeout on the wall clock); it rate-limits with a Retry-After of 10,000 years (stored capped at 7 days);
it issues a certificate for other names (refused, nothing stored). order_timeout is 12 s here and
request_timeout 60 s, so only the order's own deadline can end a stalled request in time."""
import datetime
import json
import os
import sys
import tempfile
import threading
import time
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.dirname(__file__))
from ari_proxy import AriProxy  # noqa: E402
from certman_harness import free_port  # noqa: E402
from daemon_harness import Daemon, unix  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

ORDER_TIMEOUT = 12
MARGIN = 4  # seconds for the daemon to notice, write the state and for this test to poll it
NAME = "hostile"
DOMAIN = "hostile.example.test"


class ShortTimeouts(Daemon):
    def write(self, certs, extra=""):
        super().write(certs, extra)
        with open(self.config) as f:
            text = f.read()
        text = text.replace('order_timeout = "90s"', f'order_timeout = "{ORDER_TIMEOUT}s"\nrequest_timeout = "60s"')
        with open(self.config, "w") as f:
            f.write(text)


def rewrite_json(body, **members):
    doc = json.loads(body)
    doc.update(members)
    return json.dumps(doc).encode()


def set_header(headers, name, value):
    return [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]


def never_validates(retry_after=None):
    """An `after` hook: challenges stay "processing", authorizations "pending"; polls carry `retry_after`."""
    def after(record, status, headers, body):
        if status == 200 and record["method"] == "POST":
            if record["path"].startswith("/chalZ/"):
                body = rewrite_json(body, status="processing")
            elif record["path"].startswith("/authZ/") and record["post_as_get"]:
                body = rewrite_json(body, status="pending")
                if retry_after is not None:
                    headers = set_header(headers, "Retry-After", retry_after)
        return status, headers, body
    return after


def foreign_certificate(names):
    """A self-signed PEM certificate for `names`, with a key certman never saw."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


class HostileCa(unittest.TestCase):
    def start(self, before=None, after=None):
        d = tempfile.mkdtemp(prefix="certman-hostile-")
        port = free_port()
        # No random badNonce refusals (Pebble's default is 5%): the request counts and gaps below are exact.
        pebble = Pebble(port, env={"PEBBLE_WFE_NONCEREJECT": "0"}).start()
        self.addCleanup(pebble.stop)
        proxy = AriProxy(pebble)
        self.proxy = proxy  # hooks may look at it: they run as soon as certman's first request arrives
        proxy.before, proxy.after = before, after
        proxy.start()
        self.addCleanup(proxy.stop)
        dm = ShortTimeouts(d, pebble, port, [(NAME, [DOMAIN])], directory=proxy.directory_url).start()
        self.addCleanup(lambda: self.assertEqual(dm.stop(), 0))
        return proxy, dm

    def wait_for_failure(self, proxy, dm):
        """Waits for the failed attempt in the stored state; returns (state, seconds from newOrder to then)."""
        dm.wait_for(lambda: (dm.state(NAME) or {}).get("failures", {}).get("consecutive_failures", 0) >= 1,
                    timeout=ORDER_TIMEOUT + 40, what="the failed order in the state")
        seen = time.time()
        orders = proxy.new_orders(DOMAIN)
        self.assertTrue(orders, "certman sent no newOrder")
        self.assertIsNone(dm.bundle(NAME), "nothing may be stored")
        # The pass is over: the renewal loop completed its decision for the certificate.
        dm.wait_for(lambda: f'certman_certificate_checks_total{{name="{NAME}"}} 1' in dm.metrics(), timeout=10,
                    what="the end of the pass")
        took = seen - orders[0]["time"]
        print(f"\n  {self.id().split('.')[-1]}: newOrder to recorded failure {took:.1f} s", file=sys.stderr)
        return dm.state(NAME), took

    def authz_polls(self, proxy):
        """Times of the POST-as-GET requests for the authorization made after the challenge was answered."""
        answered = [r["time"] for r in proxy.requests if r["method"] == "POST" and r["path"].startswith("/chalZ/")
                    and not (r.get("problem") or "").endswith(":badNonce")]
        self.assertEqual(len(answered), 1)
        # A request refused with badNonce is re-sent at once (RFC 8555 §6.5); it is neither an answer nor a poll.
        return [r["time"] for r in proxy.requests
                if r["post_as_get"] and r["path"].startswith("/authZ/") and r["time"] > answered[0]
                and not (r.get("problem") or "").endswith(":badNonce")]

    def test_retry_after_zero_keeps_the_growing_schedule(self):
        proxy, dm = self.start(after=never_validates("0"))
        state, took = self.wait_for_failure(proxy, dm)
        self.assertLessEqual(took, ORDER_TIMEOUT + MARGIN)
        self.assertIn("timed out", state["failures"]["last_error"])
        polls = self.authz_polls(proxy)
        # 1, 2, 4 s apart; the next wait (8 s) would pass the 12 s deadline. Busy polling made ~240 requests.
        self.assertTrue(3 <= len(polls) <= 4, polls)
        gaps = [b - a for a, b in zip(polls, polls[1:])]
        print(f"  {len(polls)} authorization polls, gaps {[round(g, 2) for g in gaps]} s", file=sys.stderr)
        for gap, floor in zip(gaps, [1.9, 3.9, 7.9]):
            self.assertGreaterEqual(gap, floor, gaps)

    def test_absurd_retry_after_ends_the_order_at_once(self):
        for value in ["8000000000", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"]:
            with self.subTest(retry_after=value):
                proxy, dm = self.start(after=never_validates(value))
                state, took = self.wait_for_failure(proxy, dm)
                self.assertLessEqual(took, ORDER_TIMEOUT + MARGIN)
                error = state["failures"]["last_error"]
                self.assertIn("the CA's Retry-After) would be past the deadline", error)
                self.assertEqual(len(self.authz_polls(proxy)), 1)
                self.assertNotIn("retry_after", state["failures"])  # a poll hint is no rate limit
                self.assertEqual(dm.stop(), 0)

    def test_stalled_response_ends_by_order_timeout(self):
        release = threading.Event()
        self.addCleanup(release.set)

        def before(record, nonce):
            challenge_answered = any(r["path"].startswith("/chalZ/") for r in list(self.proxy.requests))
            if record["post_as_get"] and record["path"].startswith("/authZ/") and challenge_answered:
                release.wait(45)  # longer than order_timeout, shorter than request_timeout
            return None

        proxy, dm = self.start(before=before, after=never_validates())
        state, took = self.wait_for_failure(proxy, dm)
        self.assertLessEqual(took, ORDER_TIMEOUT + MARGIN, state)
        self.assertIn("timed out", state["failures"]["last_error"])
        self.assertIn("timed out", dm.status(NAME)["last_error"])

    def test_rate_limit_retry_after_is_capped_at_7_days(self):
        for value in ["315360000000", "Fri, 31 Dec 9999 23:59:59 GMT"]:  # 10,000 years, two ways
            with self.subTest(retry_after=value):
                def before(record, nonce):
                    p = record["payload"]
                    if record["method"] == "POST" and isinstance(p, dict) and "identifiers" in p and "csr" not in p:
                        problem = {"type": "urn:ietf:params:acme:error:rateLimited", "status": 429,
                                   "detail": "too many certificates (injected by the test proxy)"}
                        return 429, {"Content-Type": "application/problem+json", "Retry-After": value,
                                     "Replay-Nonce": nonce()}, json.dumps(problem).encode()
                    return None

                proxy, dm = self.start(before=before)
                state, _ = self.wait_for_failure(proxy, dm)
                week = 7 * 24 * 3600
                retry_at = unix(state["failures"]["retry_after"])
                failed_at = unix(state["failures"]["last_failure"])
                self.assertEqual(retry_at - failed_at, week, state)
                self.assertLessEqual(dm.status(NAME)["next_renewal"], time.time() + week + 60)
                self.assertEqual(dm.stop(), 0)

    def test_certificate_for_other_names_is_refused(self):
        def after(record, status, headers, body):
            content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
            if status == 200 and content_type.startswith("application/pem-certificate-chain"):
                body = foreign_certificate([DOMAIN, "evil.example.test"])
            return status, headers, body

        proxy, dm = self.start(after=after)
        state, _ = self.wait_for_failure(proxy, dm)
        error = state["failures"]["last_error"]
        self.assertIn("the issued certificate's names differ from the order: expected " + DOMAIN, error)
        self.assertIn("not ordered evil.example.test", error)
        self.assertIsNone(dm.bundle(NAME))


if __name__ == "__main__":
    unittest.main()
