#!/usr/bin/env python3
"""Cluster mode (docs/cluster-mode.md, "Challenge lookups"): an instance asked for a challenge token it does not hold looks it up in the shared
bucket, and the lookups are cached and shared: a found key authorization is reused for 10 s, a miss for 2 s,
and concurrent requests for one token cause one bucket read. Counted at the Alibaba emulator's request log.
(Lookups happen only while some instance holds an order lease: the test puts one in the bucket.)"""
import os
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emulators"))
sys.path.insert(0, HERE)
from alibaba_testlib import oss_sign  # noqa: E402
from certman_harness import free_port, http_get, start_oss_instance, stop_oss_instance  # noqa: E402

BUCKET, PREFIX = "certman-store", "fb"
TOKEN = "tok_Known-0123456789abcdefghijklmnopqrstuvwxyz"
ABSENT = "tok_Absent-0123456789abcdefghijklmnopqrstuvwxy"


def key_of(token):
    return f"{PREFIX}/challenges/{token.encode().hex()}"


class ChallengeFallback(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The CA is unreachable on purpose: the instance has a renewal manager (and so the bucket) but never
        # orders; the test is about the public port's lookups only.
        start_oss_instance(cls, BUCKET, PREFIX, extra_toml=(
            f'[acme]\ndirectory = "https://127.0.0.1:{free_port()}/dir"\nagree_tos = true\n'
            f'[[certificate]]\nname = "c"\ndomains = ["c.example.test"]\n'))
        lease = f"{PREFIX}/leases/other.json"
        body = b'{"owner":"elsewhere/1/1/1","expires":"2099-01-01T00:00:00Z"}'
        headers = oss_sign("PUT", BUCKET, lease, [], {"Content-Type": "application/json"})
        status, _, _ = cls.emu.raw("PUT", f"/{BUCKET}/{lease}", body, headers)
        assert status == 200, status

    @classmethod
    def tearDownClass(cls):
        stop_oss_instance(cls)

    def object(self, method, token, body=b""):
        headers = oss_sign(method, BUCKET, key_of(token), [], {"Content-Type": "text/plain"} if body else {})
        status, _, _ = self.emu.raw(method, f"/{BUCKET}/{key_of(token)}", body or None, headers)
        self.assertIn(status, (200, 204))

    def reads(self, token):
        reqs = self.emu.control("GET", "state")["requests"]
        return sum(1 for r in reqs if r.get("action") == "GetObject" and r.get("key") == key_of(token))

    def ask(self, token):
        status, _, body = http_get(self.port, f"/.well-known/acme-challenge/{token}")
        return status, body.decode() if status == 200 else ""

    def test_found_token_is_cached_then_gone(self):
        self.object("PUT", TOKEN, f"{TOKEN}.thumbprint".encode())
        self.assertEqual(self.ask(TOKEN), (200, f"{TOKEN}.thumbprint"))
        self.assertEqual(self.reads(TOKEN), 1)
        self.object("DELETE", TOKEN)
        t0 = time.monotonic()
        for _ in range(5):  # the CA's vantage points, right after: answered from the cache, no bucket read
            self.assertEqual(self.ask(TOKEN), (200, f"{TOKEN}.thumbprint"))
        self.assertLess(time.monotonic() - t0, 9, "too slow to prove the cache")
        self.assertEqual(self.reads(TOKEN), 1)
        time.sleep(max(0.0, 10.5 - (time.monotonic() - t0)))
        self.assertEqual(self.ask(TOKEN), (404, ""))   # the entry expired; the bucket no longer has it
        self.assertEqual(self.reads(TOKEN), 2)

    def test_concurrent_misses_share_one_read(self):
        results = []
        def one():
            results.append(self.ask(ABSENT)[0])
        threads = [threading.Thread(target=one) for _ in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [404] * 30)
        self.assertEqual(self.reads(ABSENT), 1)
        time.sleep(2.5)   # the miss is remembered 2 s
        self.assertEqual(self.ask(ABSENT)[0], 404)
        self.assertEqual(self.reads(ABSENT), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
