#!/usr/bin/env python3
"""`certman status -c FILE` with [storage] kind = "oss" (docs/cluster-mode.md): the table comes from the bucket a cluster
shares. A bundle and a renewal state are written into the Alibaba emulator's bucket with an independent V4
signer (alibaba_testlib.oss_sign), then status must show them; an unreachable endpoint, a wrong secret and a
versioned bucket must each end with exit code 3 and a message saying what to check."""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emulators"))
sys.path.insert(0, HERE)
from alibaba_testlib import AK, FIXTURE, SK, Emulator, make_cert, key_pem, oss_sign  # noqa: E402
from certman_harness import BIN, free_port  # noqa: E402

BUCKET, PREFIX = "certman-store", "prod"


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class StatusOnOss(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding="utf-8") as f:
            state = json.load(f)
        state["oss"]["versioning"] = {"versioned-store": "Enabled"}
        cls.tmp = tempfile.TemporaryDirectory()
        path = os.path.join(cls.tmp.name, "emulator-state.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(state, f)
        cls.emu = Emulator("--state", path)
        cls.addClassCleanup(cls.emu.stop)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        leaf, key, _ = make_cert("ec", "www.example.test")
        bundle = {"version": 1, "names": ["www.example.test"], "key_type": "ec256", "issuer_cn": "emulated",
                  "serial": "0a1b2c", "not_before": rfc3339(now), "not_after": rfc3339(now + datetime.timedelta(days=90)),
                  "obtained_at": rfc3339(now), "order_url": "", "certificate_url": "", "profile": "",
                  "private_key_pem": key_pem(key, "pkcs8"), "certificate_pem": leaf, "chain_pem": ""}
        web_state = {"failures": {"consecutive_failures": 0, "last_failure": "1970-01-01T00:00:00Z",
                                  "last_error": ""}, "random01": 0.5, "deployed": {"out": "0a1b2c"}}
        api_state = {"failures": {"consecutive_failures": 2, "last_failure": rfc3339(now),
                                  "last_error": "acme: rateLimited: too many certificates"}, "random01": 0.5}
        cls.put("certificates/web.json", bundle)
        cls.put("state/web.json", web_state)
        cls.put("state/api.json", api_state)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def put(cls, key, doc):
        full = PREFIX + "/" + key
        body = json.dumps(doc).encode()
        headers = oss_sign("PUT", BUCKET, full, [], {"Content-Type": "application/json"})   # urllib would add one
        status, _, data = cls.emu.raw("PUT", "/%s/%s" % (BUCKET, full), body, headers)
        assert status == 200, (status, data)

    def status(self, certificates, endpoint=None, bucket=BUCKET, secret=SK):
        d = tempfile.mkdtemp(dir=self.tmp.name)
        secret_file = os.path.join(d, "secret")
        with open(secret_file, "w", encoding="utf-8") as f:
            f.write(secret)
        os.chmod(secret_file, 0o600)
        toml = (f'[storage]\nkind = "oss"\nbucket = "{bucket}"\nprefix = "{PREFIX}"\nregion = "cn-hangzhou"\n'
                f'endpoint = "{endpoint or self.emu.base}"\naccess_key_id = "{AK}"\n'
                f'access_key_secret_file = "{secret_file}"\n'
                f'[[deployer]]\nname = "out"\nkind = "files"\ndirectory = "{d}/out"\n')
        for name, domain in certificates:
            toml += f'[[certificate]]\nname = "{name}"\ndomains = ["{domain}"]\ndeploy = ["out"]\n'
        config = os.path.join(d, "certman.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(toml)
        t0 = time.monotonic()
        p = subprocess.run([BIN, "status", "-c", config], capture_output=True, text=True, timeout=60)
        return p, time.monotonic() - t0

    def rows(self, stdout):
        return {line.split()[0]: line for line in stdout.splitlines()[1:] if line.strip()}

    def test_bundle_and_state_from_the_bucket(self):
        self.emu.raw("DELETE", "/_emulator/requests")
        p, _ = self.status([("web", "www.example.test")])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        web = self.rows(p.stdout)["web"]
        self.assertRegex(web, r"\b(89|90)d\b")              # expires in
        self.assertRegex(web, r"\d{4}-\d\d-\d\dT")           # next renewal: a date, not "now"
        self.assertRegex(web, r"\bout\b(?!\(pending\))")   # deployed with the stored serial
        oss = [r for r in self.emu.control("GET", "state")["requests"] if r["service"] == "oss"]
        self.assertTrue(oss and all(r["outcome"] == "ok" or r["outcome"] == "NoSuchKey" for r in oss), oss)
        self.assertIn("GetObject", {r["action"] for r in oss})

    def test_missing_certificate_and_failures_exit_4(self):
        p, _ = self.status([("web", "www.example.test"), ("api", "api.example.test")])
        self.assertEqual(p.returncode, 4, p.stdout + p.stderr)
        api = self.rows(p.stdout)["api"]
        self.assertIn("2 failures: acme: rateLimited: too many certificates", api)
        self.assertEqual(api.split()[2], "-")               # nothing stored: no expiry
        self.assertRegex(self.rows(p.stdout)["web"], r"\b(89|90)d\b")

    def test_unreachable_endpoint_exit_3(self):
        p, took = self.status([("web", "www.example.test")], endpoint="http://127.0.0.1:%d" % free_port())
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")                      # no table of "missing" rows hiding the real problem
        self.assertIn("cannot read storage oss:certman-store/prod", p.stderr)
        self.assertIn("check [storage] in", p.stderr)
        self.assertIn("endpoint", p.stderr)
        self.assertLess(took, 25)                           # refused connections: retries only, no deadline

    def test_wrong_secret_exit_3(self):
        p, _ = self.status([("web", "www.example.test")], secret="not-the-secret")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertIn("SignatureDoesNotMatch", p.stderr)
        self.assertIn("credentials", p.stderr)

    def test_versioned_bucket_refused_exit_3(self):
        p, _ = self.status([("web", "www.example.test")], bucket="versioned-store")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertIn("versioning Enabled", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
