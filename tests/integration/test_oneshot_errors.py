#!/usr/bin/env python3
"""Errors that tell the operator what is wrong: a corrupt ACME account key is named as such (not "the CA is
unreachable"); `renew`, `revoke` and `status` run as root on a state directory that belongs to another user
refuse, with the command to run instead, and leave no root-owned file behind."""
import glob
import os
import pwd
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402
from test_acme_pebble import renew, write_config  # noqa: E402


class CorruptAccountKey(unittest.TestCase):
    def test_corrupt_account_key_says_so(self):
        port = free_port()
        with Pebble(port) as pebble:
            d = tempfile.mkdtemp(prefix="certman-acct-")
            config = write_config(d, port, pebble, [("web", ["web.example.test"], "ec256")])
            self.assertEqual(renew(config).returncode, 0)
            keys = glob.glob(os.path.join(d, "state", "accounts", "*", "account-key.pem"))
            self.assertEqual(len(keys), 1)
            with open(keys[0], "w") as f:
                f.write("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")
            r = renew(config, "--force")
            self.assertEqual(r.returncode, 4)
            self.assertIn("the ACME account key in storage", r.stdout)
            self.assertIn("is corrupt", r.stdout)
            self.assertNotIn("unreachable", r.stdout + r.stderr)


@unittest.skipUnless(os.geteuid() == 0, "needs root")
class RootOnForeignState(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="certman-owner-")
        os.chmod(self.d, 0o755)
        self.user = pwd.getpwnam("nobody")
        state = os.path.join(self.d, "state")
        os.makedirs(os.path.join(state, "state"))
        for root, dirs, _ in os.walk(state):
            os.chown(root, self.user.pw_uid, self.user.pw_gid)
        self.config = os.path.join(self.d, "certman.toml")
        with open(self.config, "w") as f:
            f.write(f'[server]\nlisten = "127.0.0.1:{free_port()}"\n[admin]\nenabled = false\n'
                    f'[acme]\ndirectory = "https://127.0.0.1:{free_port()}/dir"\nagree_tos = true\n'
                    f'[storage]\npath = "{state}"\n[[certificate]]\nname = "web"\ndomains = ["web.example.test"]\n')

    def check_refused(self, *args):
        r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(f"belongs to {self.user.pw_name}", r.stderr)
        self.assertIn(f"sudo -u {self.user.pw_name} {BIN} {' '.join(args)}", r.stderr)
        for root, dirs, files in os.walk(os.path.join(self.d, "state")):
            for name in dirs + files:
                self.assertNotEqual(os.stat(os.path.join(root, name)).st_uid, 0, f"root left {name}")

    def test_renew_refused(self):
        self.check_refused("renew", "-c", self.config, "--force")

    def test_revoke_refused(self):
        self.check_refused("revoke", "-c", self.config, "web")

    def test_status_refused(self):
        self.check_refused("status", "-c", self.config)

    def test_root_owned_state_is_fine(self):
        os.chown(os.path.join(self.d, "state"), 0, 0)
        r = subprocess.run([BIN, "status", "-c", self.config], capture_output=True, text=True, timeout=30)
        self.assertNotIn("sudo -u", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
