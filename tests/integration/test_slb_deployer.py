#!/usr/bin/env python3
"""The alicloud-slb deployer against the Alibaba emulator, driven through certman_slb_deploy_tool: first deploy,
no-op, reuse, cleanup with keep_previous, faults (throttling, 503, slow answer beyond the timeout, failure between
upload and listener update) converging on the next run without duplicate uploads, and the credential chain
(file with its 0644 refusal, environment, ECS RAM role in hardened mode with expiry refresh). No secret may
appear in the tool's output."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulators"))
from alibaba_testlib import AK, LB, SK, BOOTSTRAP, Emulator, key_pem, make_cert, sha1_fingerprint  # noqa: E402

BUILD = os.environ.get("CERTMAN_BUILD", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build"))
TOOL = os.path.join(BUILD, "certman_slb_deploy_tool")
FAST = ["--base-delay-ms", "20", "--timeout-ms", "5000"]


def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")}


class Deployment(unittest.TestCase):
    def setUp(self):
        self.emu = Emulator(*getattr(self, "emulator_args", ()))
        self.tmp = tempfile.TemporaryDirectory()
        self.secret_file = os.path.join(self.tmp.name, "secret")
        with open(self.secret_file, "w") as f:
            f.write(SK + "\n")
        os.chmod(self.secret_file, 0o600)
        self.secrets = [SK]

    def tearDown(self):
        self.emu.stop()
        self.emu.proc.stdout.close()
        self.tmp.cleanup()

    def bundle(self, cn="www.example.com"):
        """(path of a bundle JSON with a PKCS#8 RSA key, SHA-1 fingerprint of its leaf)."""
        leaf, key, der = make_cert("rsa", cn)
        pem = key_pem(key, "pkcs8")
        self.secrets += [line for line in pem.splitlines()[1:-1] if len(line) > 40][:3]
        path = os.path.join(self.tmp.name, "bundle-%d.json" % len(os.listdir(self.tmp.name)))
        with open(path, "w") as f:
            json.dump({"version": 1, "private_key_pem": pem, "certificate_pem": leaf, "chain_pem": "",
                       "names": [cn], "key_type": "rsa2048"}, f)
        return path, sha1_fingerprint(der)

    def run_tool(self, bundle, *extra, env=None, keys=True):
        args = [TOOL, "--bundle", bundle, "--certificate-name", "www", "--region", "cn-hangzhou",
                "--lb-name", "certman-web", "--endpoint", self.emu.base, *FAST]
        if keys:
            args += ["--access-key-id", AK, "--secret-file", self.secret_file]
        p = subprocess.run(args + list(extra), capture_output=True, text=True, timeout=120,
                           env=env if env is not None else clean_env())
        out = p.stdout + p.stderr
        for s in self.secrets:
            self.assertNotIn(s, out, "a secret leaked into the output")
        return p.returncode, out

    def state(self):
        return self.emu.control("GET", "state")

    def listener_fingerprint(self):
        st = self.state()
        cid = st["load_balancers"][0]["listeners"][0]["ServerCertificateId"]
        return next(c["Fingerprint"] for c in st["server_certificates"] if c["ServerCertificateId"] == cid)

    def ours(self):
        return [c for c in self.state()["server_certificates"] if c["ServerCertificateName"].startswith("certman-www-")]

    def uploads(self):
        return [r for r in self.state()["requests"] if r["action"] == "UploadServerCertificate" and r["status"] == 200]


class Basics(Deployment):
    def test_first_deploy_then_noop(self):
        bundle, fp = self.bundle()
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 0, out)
        self.assertIn("changed=1", out)
        self.assertEqual(self.listener_fingerprint(), fp)
        self.assertEqual(len(self.ours()), 1)
        self.assertRegex(self.ours()[0]["ServerCertificateName"], r"^certman-www-\d{8}-[0-9a-f]{1,8}$")
        self.emu.control("DELETE", "requests")
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 0, out)
        self.assertIn("changed=0", out)
        self.assertEqual(self.uploads(), [])
        actions = {r["action"] for r in self.state()["requests"]}
        self.assertNotIn("SetLoadBalancerHTTPSListenerAttribute", actions)
        # the bootstrap certificate is not certman's: never deleted
        self.assertIn(BOOTSTRAP, [c["ServerCertificateId"] for c in self.state()["server_certificates"]])

    def test_reuses_an_uploaded_certificate(self):
        bundle, fp = self.bundle()
        with open(bundle) as f:
            b = json.load(f)
        from cryptography.hazmat.primitives import serialization
        key = serialization.load_pem_private_key(b["private_key_pem"].encode(), None)
        status, body = self.emu.call("UploadServerCertificate", {"ServerCertificate": b["certificate_pem"],
                                                                 "PrivateKey": key_pem(key, "pkcs1"),
                                                                 "ServerCertificateName": "manual"})
        self.assertEqual(status, 200, body)
        self.emu.control("DELETE", "requests")
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 0, out)
        self.assertIn("(reused)", out)
        self.assertEqual(self.uploads(), [])
        self.assertEqual(self.listener_fingerprint(), fp)

    def test_cleanup_keeps_previous(self):
        for i in range(4):
            bundle, fp = self.bundle()
            rc, out = self.run_tool(bundle, "--keep-previous", "1")
            self.assertEqual(rc, 0, out)
            time.sleep(1.1)  # distinct CreateTimeStamp seconds
        ours = self.ours()
        self.assertEqual(len(ours), 2, ours)  # current + 1 previous
        self.assertEqual(self.listener_fingerprint(), fp)
        self.assertIn(fp, [c["Fingerprint"] for c in ours])

    def test_ec_key_is_refused(self):
        leaf, key, _ = make_cert("ec")
        path = os.path.join(self.tmp.name, "ec.json")
        with open(path, "w") as f:
            json.dump({"version": 1, "private_key_pem": key_pem(key, "pkcs8"), "certificate_pem": leaf,
                       "chain_pem": ""}, f)
        rc, out = self.run_tool(path)
        self.assertEqual(rc, 1, out)
        self.assertIn("RSA", out)
        self.assertEqual(self.uploads(), [])


class Faults(Deployment):
    def fault(self, f):
        self.emu.control("POST", "faults", f)

    def converge(self, first_rc, bundle, fp, wait=0.0):
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, first_rc, out)
        time.sleep(wait)
        if rc != 0:
            rc, again = self.run_tool(bundle)
            self.assertEqual(rc, 0, again)
            out += again
        self.assertEqual(self.listener_fingerprint(), fp)
        self.assertEqual(len(self.uploads()), 1, "duplicate uploads")
        self.assertEqual(len(self.ours()), 1)
        return out

    def test_throttling_twice_is_retried(self):
        bundle, fp = self.bundle()
        self.fault({"action": "UploadServerCertificate", "code": "Throttling.User", "times": 2})
        out = self.converge(0, bundle, fp)
        self.assertEqual([r["outcome"] for r in self.state()["requests"]
                          if r["action"] == "UploadServerCertificate"], ["Throttling.User"] * 2 + ["ok"])
        self.assertIn("Throttling.User", out)

    def test_503_bounded_then_converges(self):
        bundle, fp = self.bundle()
        self.fault({"kind": "status503", "times": 3})
        out = self.converge(1, bundle, fp)
        self.assertIn("HTTP 503", out)

    def test_service_unavailable_once_is_retried(self):
        bundle, fp = self.bundle()
        self.fault({"action": "SetLoadBalancerHTTPSListenerAttribute", "code": "ServiceUnavailable", "times": 1})
        self.converge(0, bundle, fp)

    def test_slow_upload_beyond_timeout(self):
        bundle, fp = self.bundle()
        self.fault({"kind": "slow", "seconds": 7, "action": "UploadServerCertificate"})
        self.converge(1, bundle, fp, wait=2.5)

    def test_failure_between_upload_and_listener_update(self):
        bundle, fp = self.bundle()
        self.fault({"kind": "fail_after_upload"})
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 1, out)
        self.assertIn("Forbidden.RAM", out)
        self.assertIn("RequestId", out)
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 0, out)
        self.assertIn("(reused)", out)
        self.assertEqual(self.listener_fingerprint(), fp)
        self.assertEqual(len(self.uploads()), 1)

    def test_signature_error_is_not_retried(self):
        bundle, _ = self.bundle()
        with open(self.secret_file, "w") as f:
            f.write("wrong-secret\n")
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 1, out)
        self.assertIn("SignatureDoesNotMatch", out)
        self.assertNotIn("string to sign", out.lower())
        self.assertEqual(len([r for r in self.state()["requests"] if r["service"] == "slb"]), 1)


class Credentials(Deployment):
    emulator_args = ("--imds-mode", "required", "--credential-ttl", "8")

    def test_secret_file_readable_by_others_is_refused(self):
        bundle, _ = self.bundle()
        os.chmod(self.secret_file, 0o644)
        rc, out = self.run_tool(bundle)
        self.assertEqual(rc, 1, out)
        self.assertIn("chmod 600", out)
        self.assertIn(self.secret_file, out)
        self.assertEqual(self.state()["requests"], [])

    def test_environment(self):
        bundle, fp = self.bundle()
        env = dict(clean_env(), ALIBABA_CLOUD_ACCESS_KEY_ID=AK, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SK)
        rc, out = self.run_tool(bundle, env=env, keys=False)
        self.assertEqual(rc, 0, out)
        self.assertEqual(self.listener_fingerprint(), fp)

    def test_ecs_ram_role_token_mode_and_refresh(self):
        bundle, fp = self.bundle()
        rc, out = self.run_tool(bundle, "--metadata-endpoint", self.emu.base, "--runs", "3", "--interval-ms", "3500",
                                keys=False)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.count(": ok "), 3, out)
        st = self.state()
        counts = st["imds"]["counts"]
        self.assertGreaterEqual(counts["token"], 1)
        self.assertEqual(counts["credentials"], 2, counts)  # fetched once, refreshed once before Expiration
        ids = {r["access_key_id"] for r in st["requests"] if r["service"] == "slb"}
        self.assertEqual(len(ids), 2, ids)
        self.assertTrue(all(i.startswith("STS.") for i in ids))
        self.assertFalse([r for r in st["requests"] if r["service"] == "slb" and r["status"] != 200])
        self.assertEqual(self.listener_fingerprint(), fp)

    def test_ecs_credentials_expired_on_arrival_are_refused_with_the_fix(self):
        # A broken metadata service (or a clock far ahead): Expiration in 1970. The keys would still sign, but
        # certman's clock says they are dead: it says so, names the clock, and signs nothing with them.
        bundle, _ = self.bundle()
        self.emu.control("POST", "imds", {"expiration": "1970-01-01T00:00:00Z"})
        try:
            rc, out = self.run_tool(bundle, "--metadata-endpoint", self.emu.base, keys=False)
        finally:
            self.emu.control("POST", "imds", {"expiration": None})
        self.assertEqual(rc, 1, out)
        self.assertIn("Expiration 1970-01-01T00:00:00Z is not after now", out)
        self.assertIn("check the system clock (NTP)", out)
        self.assertEqual([r for r in self.state()["requests"] if r["service"] == "slb"], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
