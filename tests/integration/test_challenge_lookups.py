#!/usr/bin/env python3
"""Cluster mode's public port under a scan of unknown tokens: the bucket is consulted only for well-formed
tokens (RFC 8555 §8.3: base64url, >= 22 characters), only while some instance holds an order lease (one cached
listing of leases/), once per token without retries, and at most 8 reads at a time (the rest answer 404 at
once). Counted at the OSS emulator's request log."""
import os
import secrets
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emulators"))
sys.path.insert(0, HERE)
from alibaba_testlib import oss_sign  # noqa: E402
from certman_harness import http_get, start_oss_instance, stop_oss_instance  # noqa: E402

BUCKET, PREFIX = "certman-store", "lk"
LEASE = f"{PREFIX}/leases/other.json"


def token():
    return secrets.token_urlsafe(32)  # 43 characters, like Let's Encrypt's and Pebble's


class ChallengeLookups(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # No certificate: the instance never orders or takes a lease itself; only the public port is tested.
        start_oss_instance(cls, BUCKET, PREFIX, server_extra="max_connections = 512\n")

    @classmethod
    def tearDownClass(cls):
        stop_oss_instance(cls)

    def setUp(self):
        self.emu.control("DELETE", "faults")
        self.put_lease(False)
        time.sleep(5.5)  # let any cached listing of leases/ expire

    def put_lease(self, present):
        method = "PUT" if present else "DELETE"
        body = b'{"owner":"h/1/1/1","expires":"2099-01-01T00:00:00Z"}' if present else b""
        headers = oss_sign(method, BUCKET, LEASE, [], {"Content-Type": "application/json"} if body else {})
        status, _, _ = self.emu.raw(method, f"/{BUCKET}/{LEASE}", body or None, headers)
        self.assertIn(status, (200, 204))

    def count(self, action, contains="/challenges/"):
        reqs = self.emu.control("GET", "state")["requests"]
        return sum(1 for r in reqs if r.get("action") == action and contains in r.get("key", ""))

    def lists(self):
        reqs = self.emu.control("GET", "state")["requests"]
        return sum(1 for r in reqs if r.get("action") == "ListObjectsV2")

    def ask_all(self, tokens, threads=20):
        results = {}
        self.sent = []  # monotonic send times, for the concurrency bound
        start = threading.Barrier(threads)
        def worker(chunk):
            start.wait()  # all at once: the cap is about reads in flight together
            for t in chunk:
                self.sent.append(time.monotonic())
                results[t] = http_get(self.port, f"/.well-known/acme-challenge/{t}")[0]
        chunks = [tokens[i::threads] for i in range(threads)]
        ts = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return results

    def test_no_lease_no_reads(self):
        gets, lists = self.count("GetObject"), self.lists()
        results = self.ask_all([token() for _ in range(300)])
        self.assertEqual(set(results.values()), {404})
        self.assertEqual(self.count("GetObject") - gets, 0)
        self.assertLessEqual(self.lists() - lists, 5, "one listing of leases/ per second at most")
        print(f"\n  300 random tokens, no lease: {self.count('GetObject') - gets} GetObject, "
              f"{self.lists() - lists} ListObjectsV2", file=sys.stderr)

    def test_malformed_tokens_never_reach_the_bucket(self):
        self.put_lease(True)
        gets = self.count("GetObject")
        bad = ["short", "a" * 21, "a" * 257, "has.dot" + "a" * 30, "has~tilde" + "a" * 30, "pad=" + "a" * 30]
        results = self.ask_all(bad, threads=3)
        self.assertEqual(set(results.values()), {404})
        self.assertEqual(self.count("GetObject") - gets, 0)
        self.assertEqual(http_get(self.port, f"/.well-known/acme-challenge/{'a' * 22}")[0], 404)  # the bound
        self.assertEqual(self.count("GetObject") - gets, 1)

    def test_with_lease_one_read_per_token_no_retries(self):
        self.put_lease(True)
        # Every read fails with a 503: the old client retried each up to 4 times.
        self.emu.control("POST", "faults", {"target": "oss", "kind": "status503", "action": "GetObject",
                                            "key_contains": "challenges/", "times": -1})
        gets = self.count("GetObject")
        tokens = [token() for _ in range(40)]
        results = self.ask_all(tokens, threads=4)
        self.assertEqual(set(results.values()), {404})
        self.assertEqual(self.count("GetObject") - gets, 40)

    def test_failed_read_is_not_remembered(self):
        # A read that fails (here one 503) answers 404 but is not cached as a miss: the CA's next request for
        # the token (another vantage point) reads again and finds it. A real miss is cached (2 s).
        self.put_lease(True)
        t = token()
        key = f"{PREFIX}/challenges/{t.encode().hex()}"
        headers = oss_sign("PUT", BUCKET, key, [], {"Content-Type": "application/octet-stream"})
        status, _, _ = self.emu.raw("PUT", f"/{BUCKET}/{key}", f"{t}.thumb".encode(), headers)
        self.assertEqual(status, 200)
        self.emu.control("POST", "faults", {"target": "oss", "kind": "status503", "action": "GetObject",
                                            "key_contains": "challenges/", "times": 1})
        gets = self.count("GetObject")
        self.assertEqual(http_get(self.port, f"/.well-known/acme-challenge/{t}")[0], 404)
        status, _, body = http_get(self.port, f"/.well-known/acme-challenge/{t}")
        self.assertEqual((status, body), (200, f"{t}.thumb".encode()))
        self.assertEqual(self.count("GetObject") - gets, 2)
        missing = token()
        self.assertEqual(http_get(self.port, f"/.well-known/acme-challenge/{missing}")[0], 404)
        self.assertEqual(http_get(self.port, f"/.well-known/acme-challenge/{missing}")[0], 404)
        self.assertEqual(self.count("GetObject") - gets, 3, "a real miss is read once, then cached")

    def test_concurrency_cap(self):
        self.put_lease(True)
        self.emu.control("POST", "faults", {"target": "oss", "kind": "slow", "seconds": 4, "action": "GetObject",
                                            "key_contains": "challenges/", "times": -1})
        gets = self.count("GetObject")
        t0 = time.monotonic()
        results = self.ask_all([token() for _ in range(30)], threads=30)
        self.assertEqual(set(results.values()), {404})
        # At most 8 reads in flight; a read holds its slot until the lookup times out (2 s; OSS answers after
        # 4 s, "not found" included). A burst sent within 2 s therefore reaches OSS at most 8 times; should a
        # loaded machine spread the burst wider, each slot may serve one more token per 2 s.
        spread = max(self.sent) - min(self.sent)
        self.assertLessEqual(self.count("GetObject") - gets, 8 * (1 + int(spread / 2.0)),
                             f"burst sent over {spread:.2f} s")
        self.assertGreater(time.monotonic() - t0, 1.5, "the slow OSS held the lookups (else the test proves nothing)")
        self.assertGreaterEqual(self.count("GetObject") - gets, 1)
        self.assertLess(time.monotonic() - t0, 15)
        print(f"\n  30 concurrent tokens, OSS 4 s slow: {self.count('GetObject') - gets} GetObject reached OSS",
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
