"""Integration: certbot (Debian package) obtains a certificate from Pebble; certman imports the certificate and
certbot's account, orders nothing while the certificate is not due, renews it with the imported account when
due, rolls the account key over (RFC 8555 §7.3.5) and orders with the new key, and a pending key left by an
interrupted rollover is resolved by asking the CA."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402
from test_acme_pebble import renew, write_config  # noqa: E402


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


def certman(*args, timeout=120):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


@unittest.skipUnless(shutil.which("certbot"), "certbot is not installed (apt-get install certbot)")
class CertbotImport(unittest.TestCase):
    def test_import_then_renew_then_rollover(self):
        d = tempfile.mkdtemp(prefix="certman-import-")
        port = free_port()
        # One-hour certificates: not due under the default rule (last third of the lifetime), due once
        # renew_before = "3595s" is set and 5 s have passed since notBefore.
        # No random badNonce refusals: certbot's account registration does not retry them (CI saw "JWS has an
        # invalid anti-replay nonce" fail certbot itself); certman's own retry is tested in test_acme_pebble.
        with Pebble(port, config={"certificateValidityPeriod": 3600}, env={"PEBBLE_WFE_NONCEREJECT": "0"}) as pebble:
            le = os.path.join(d, "le")
            env = dict(os.environ, REQUESTS_CA_BUNDLE=pebble.tls_ca)
            r = subprocess.run(["certbot", "certonly", "--standalone", "--http-01-port", str(port),
                                "--http-01-address", "127.0.0.1", "--server", pebble.directory_url,
                                "--config-dir", le, "--work-dir", os.path.join(d, "lework"),
                                "--logs-dir", os.path.join(d, "lelogs"), "--non-interactive", "--agree-tos",
                                "-m", "ops@example.org", "--no-eff-email", "--cert-name", "web",
                                "--key-type", "ecdsa", "-d", "web.example.test"],
                               capture_output=True, text=True, timeout=180, env=env)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            accounts = glob.glob(os.path.join(le, "accounts", f"127.0.0.1:{pebble.port}", "dir", "*"))
            self.assertEqual(len(accounts), 1)
            with open(os.path.join(accounts[0], "regr.json")) as f:
                account_url = json.load(f)["uri"]
            orders_by_certbot = pebble.orders_seen()

            # [acme] trusted_ca: Pebble's TLS CA and its issuing root (the chain then verifies to a trusted root).
            root, _ = pebble.roots_and_intermediates(d)
            trusted = os.path.join(d, "trusted.pem")
            write(trusted, read(pebble.tls_ca) + read(root))
            config = write_config(d, port, pebble, [("web", ["web.example.test"], "ec256")])
            write(config, read(config).replace(f'trusted_ca = "{pebble.tls_ca}"', f'trusted_ca = "{trusted}"'))

            # Wrong names are refused and write nothing.
            bad = write_config(tempfile.mkdtemp(prefix="certman-import-bad-"), port, pebble,
                               [("web", ["other.example.test"], "ec256")])
            r = certman("import", "-c", bad, "--name", "web", "--certbot-live", os.path.join(le, "live", "web"))
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("does not cover other.example.test", r.stderr)

            # An order in progress elsewhere (another instance's lease on "web"): the import waits its turn and
            # writes no certificate.
            leases = os.path.join(d, "state", "leases")
            os.makedirs(leases, exist_ok=True)
            write(os.path.join(leases, "web.json"),
                  json.dumps({"owner": "other-host/4242/1/1", "expires": "2999-01-01T00:00:00Z"}))
            r = certman("import", "-c", config, "--name", "web", "--certbot-live", os.path.join(le, "live", "web"))
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn('certificate "web" is being renewed right now (lease held by other-host/4242/1/1', r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "state", "certificates", "web.json")))
            os.remove(os.path.join(leases, "web.json"))

            r = certman("import", "-c", config, "--name", "web", "--certbot-live", os.path.join(le, "live", "web"),
                        "--account", accounts[0])
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(os.listdir(leases), [])  # released
            self.assertIn(f"account {account_url}: imported", r.stdout)
            self.assertIn("certificate web: imported serial", r.stdout)
            self.assertIn("trusted root", r.stdout)
            key_file = glob.glob(os.path.join(d, "state", "accounts", "*", "account-key.pem"))[0]
            self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)
            self.assertNotIn("PRIVATE KEY", r.stdout + r.stderr)

            # Not due: a pass orders nothing, deploys the live/ export.
            r = renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("valid until", r.stdout)
            self.assertEqual(pebble.orders_seen(), orders_by_certbot)
            self.assertTrue(os.path.exists(os.path.join(d, "state", "live", "web", "fullchain.pem")))

            # Due (renew_before just under the lifetime): renewed with certbot's account, no new account.
            append(config, 'renew_before = "3595s"\n')
            time.sleep(6)
            r = renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("ok   web: obtained serial", r.stdout)
            self.assertIn(f"ACME account {account_url} found", r.stderr)
            self.assertEqual(pebble.orders_seen(), orders_by_certbot + 1)

            r = certman("account", "show", "-c", config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f"account:    {account_url}", r.stdout)
            self.assertIn("mailto:ops@example.org", r.stdout)
            old_thumb = [l for l in r.stdout.splitlines() if l.startswith("thumbprint:")][0].split()[1]

            # Rollover, then an order signed with the new key; the old key (certbot's copy) is refused.
            old_pem = read(key_file)
            r = certman("account", "rollover", "-c", config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f"old thumbprint: {old_thumb}", r.stdout)
            new_pem = read(key_file)
            self.assertNotEqual(old_pem, new_pem)
            self.assertFalse(glob.glob(os.path.join(d, "state", "accounts", "*", "account-key.next.pem")))
            r = renew(config, "--force", "web")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f"ACME account {account_url} found", r.stderr)
            self.assertEqual(pebble.orders_seen(), orders_by_certbot + 2)
            # The old key no longer names the account at the CA: a second storage holding only the old key
            # (agree_tos = false: find the account, never create one) is told that no account exists for it.
            d2 = tempfile.mkdtemp(prefix="certman-import-old-")
            old_config = write_config(d2, port, pebble, [("web", ["web.example.test"], "ec256")], agree=False)
            old_dir = os.path.join(d2, "state", os.path.relpath(os.path.dirname(key_file), os.path.join(d, "state")))
            os.makedirs(old_dir, mode=0o700)
            write(os.path.join(old_dir, "account-key.pem"), old_pem)
            os.chmod(os.path.join(old_dir, "account-key.pem"), 0o600)
            r = certman("account", "show", "-c", old_config)
            self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("no ACME account exists for this key", r.stdout + r.stderr)

            # An interrupted rollover: the CA already uses the pending key, storage still has the old one.
            pending = key_file.replace("account-key.pem", "account-key.next.pem")
            write(pending, new_pem)
            write(key_file, old_pem)
            r = certman("account", "show", "-c", config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertNotIn(old_thumb, r.stdout)
            self.assertEqual(read(key_file), new_pem)
            self.assertFalse(os.path.exists(pending))
            # ... and one cut short before the CA heard of it: the pending key is dropped, the account kept.
            subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-out", pending], check=True, capture_output=True)
            r = certman("account", "show", "-c", config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f"account:    {account_url}", r.stdout)
            self.assertEqual(read(key_file), new_pem)
            self.assertFalse(os.path.exists(pending))

    def test_account_of_another_directory_refused(self):
        d = tempfile.mkdtemp(prefix="certman-import-")
        port = free_port()
        with Pebble(port) as pebble:
            acct = os.path.join(d, "le", "accounts", "acme-v02.api.letsencrypt.org", "directory", "abc")
            os.makedirs(acct)
            config = write_config(d, port, pebble, [("web", ["web.example.test"], "ec256")])
            r = certman("import", "-c", config, "--account", acct)
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("[acme] directory is " + pebble.directory_url, r.stderr)
            self.assertFalse(glob.glob(os.path.join(d, "state", "accounts", "*", "*")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
