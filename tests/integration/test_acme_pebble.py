"""Integration: certman obtains real certificates from Pebble through its own HTTP-01 server (RFC 8555 §8.3).

Pebble's validator connects to certman's public port; pebble-challtestsrv resolves every name to 127.0.0.1.
Every issued chain is checked with `openssl verify` against Pebble's root and intermediate, and the stored key
must match the leaf. Failures must exit non-zero, say why, and write nothing."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

EAB_KEYS = {"kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"}


def write_config(d, port, pebble, certs, acme_extra="", agree=True):
    path = os.path.join(d, "certman.toml")
    with open(path, "w") as f:
        f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
                f'[acme]\ndirectory = "{pebble.directory_url}"\nemail = "ops@example.org"\n'
                f'agree_tos = {"true" if agree else "false"}\ntrusted_ca = "{pebble.tls_ca}"\n'
                f'order_timeout = "60s"\nrequest_timeout = "10s"\n{acme_extra}'
                f'[storage]\npath = "{d}/state"\n')
        for name, domains, key_type in certs:
            f.write(f'[[certificate]]\nname = "{name}"\ndomains = {json.dumps(domains)}\nkey_type = "{key_type}"\n')
    return path


def renew(config, *args, timeout=120):
    return subprocess.run([BIN, "renew", "-c", config, *args], capture_output=True, text=True, timeout=timeout)


def verify_stored(testcase, d, name, pebble, expect_names):
    live = os.path.join(d, "state", "live", name)
    bundle_path = os.path.join(d, "state", "certificates", name + ".json")
    with open(bundle_path) as f:
        bundle = json.load(f)
    testcase.assertEqual(sorted(bundle["names"]), sorted(expect_names))
    root, inter = pebble.roots_and_intermediates(d)
    leaf = os.path.join(d, f"{name}-leaf.pem")
    with open(leaf, "w") as f:
        f.write(bundle["certificate_pem"])
    r = subprocess.run(["openssl", "verify", "-CAfile", root, "-untrusted", inter, leaf], capture_output=True, text=True)
    testcase.assertEqual(r.returncode, 0, r.stdout + r.stderr)
    # The stored key matches the leaf: compare public keys.
    key = os.path.join(d, f"{name}-key.pem")
    with open(key, "w") as f:
        f.write(bundle["private_key_pem"])
    pub_from_key = subprocess.run(["openssl", "pkey", "-in", key, "-pubout"], capture_output=True, text=True).stdout
    pub_from_cert = subprocess.run(["openssl", "x509", "-in", leaf, "-noout", "-pubkey"], capture_output=True, text=True).stdout
    testcase.assertEqual(pub_from_key, pub_from_cert)
    # The live/ export for nginx/HAProxy exists with a private key readable by its owner only.
    testcase.assertTrue(os.path.exists(os.path.join(live, "fullchain.pem")))
    testcase.assertEqual(os.stat(os.path.join(live, "privkey.pem")).st_mode & 0o777, 0o600)
    san = subprocess.run(["openssl", "x509", "-in", leaf, "-noout", "-ext", "subjectAltName"], capture_output=True, text=True).stdout
    for n in expect_names:
        testcase.assertIn(n, san)
    return bundle


class Issuance(unittest.TestCase):
    def run_case(self, certs, env=None, acme_extra="", eab=None):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port, env=env, eab_keys=eab) as pebble:
            config = write_config(d, port, pebble, certs, acme_extra)
            r = renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            for name, domains, _ in certs:
                self.assertIn(f"ok   {name}: obtained serial", r.stdout)
                verify_stored(self, d, name, pebble, domains)
            return d, config, pebble.orders_seen()

    def test_one_name(self):
        self.run_case([("one", ["one.example.test"], "ec256")])

    def test_several_names(self):
        self.run_case([("multi", ["a.example.test", "b.example.test", "c.example.test"], "ec256")])

    def test_each_key_type(self):
        self.run_case([("k-ec384", ["ec384.example.test"], "ec384"), ("k-rsa2048", ["rsa2048.example.test"], "rsa2048"),
                       ("k-rsa3072", ["rsa3072.example.test"], "rsa3072"), ("k-ec256", ["ec256.example.test"], "ec256")])

    def test_half_the_nonces_rejected(self):
        self.run_case([("nonces", ["nonce.example.test"], "ec256")], env={"PEBBLE_WFE_NONCEREJECT": "50"})

    def test_external_account_binding(self):
        self.run_case([("eab", ["eab.example.test"], "ec256")],
                      acme_extra=f'eab_kid = "kid-1"\neab_hmac_key = "{EAB_KEYS["kid-1"]}"\n', eab=EAB_KEYS)

    def test_existing_account_reused_and_no_reorder_when_valid(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port) as pebble:
            config = write_config(d, port, pebble, [("reuse", ["reuse.example.test"], "ec256")])
            self.assertEqual(renew(config).returncode, 0)
            orders = pebble.orders_seen()
            r = renew(config)  # valid certificate in storage: nothing is ordered
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("valid until", r.stdout)
            self.assertEqual(pebble.orders_seen(), orders)
            r = renew(config, "--force", "reuse")  # forced: one new order with the same account
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(pebble.orders_seen(), orders + 1)
            self.assertIn("found", r.stderr)  # "ACME account ... found"
            self.assertNotIn("created", r.stderr)

    def test_revocation(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port) as pebble:
            config = write_config(d, port, pebble, [("rev", ["rev.example.test"], "ec256")])
            self.assertEqual(renew(config).returncode, 0)
            r = subprocess.run([BIN, "revoke", "-c", config, "rev", "--reason", "superseded"], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("revoked rev", r.stdout)
            r = subprocess.run([BIN, "revoke", "-c", config, "rev"], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(r.returncode, 0)  # already revoked: the CA says so
            self.assertIn("alreadyRevoked", r.stderr)


class Failures(unittest.TestCase):
    def assert_nothing_written(self, d, name):
        self.assertFalse(os.path.exists(os.path.join(d, "state", "certificates", name + ".json")))
        self.assertFalse(os.path.exists(os.path.join(d, "state", "live", name)))

    def test_name_resolving_to_nobody(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port) as pebble:
            pebble.set_address("nobody.example.test", "127.0.0.2")  # nothing listens there
            config = write_config(d, port, pebble, [("nobody", ["nobody.example.test"], "ec256")])
            r = renew(config)
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("FAIL nobody", r.stdout)
            self.assertIn("nobody.example.test", r.stdout)
            self.assertIn("urn:ietf:params:acme:error:connection", r.stdout)
            self.assert_nothing_written(d, "nobody")

    def test_ca_down(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        pebble = Pebble(port)
        pebble.start()
        pebble.stop()
        config = write_config(d, port, pebble, [("down", ["down.example.test"], "ec256")])
        r = renew(config)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("cannot fetch the ACME directory", r.stderr)
        self.assert_nothing_written(d, "down")

    def test_ca_certificate_untrusted(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port) as pebble:
            config = write_config(d, port, pebble, [("untrusted", ["u.example.test"], "ec256")])
            with open(config) as f:
                text = f.read().replace(f'trusted_ca = "{pebble.tls_ca}"\n', "")
            with open(config, "w") as f:
                f.write(text)
            r = renew(config)
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("certificate verify failed", r.stderr)
            self.assert_nothing_written(d, "untrusted")

    def test_agree_tos_missing(self):
        d = tempfile.mkdtemp(prefix="certman-acme-")
        port = free_port()
        with Pebble(port) as pebble:
            config = write_config(d, port, pebble, [("tos", ["tos.example.test"], "ec256")], agree=False)
            r = renew(config)
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("agree_tos = true", r.stderr)
            self.assert_nothing_written(d, "tos")
            self.assertEqual(pebble.orders_seen(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
