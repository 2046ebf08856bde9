#!/usr/bin/env python3
"""A files deployer's reload command does not inherit certman's environment, which may hold cloud secrets: it
gets an allowlist (PATH, LANG, LC_*, TZ, HOME...) plus what the deployer names in pass_environment and sets in
environment. The command dumps its environment; certman runs with secrets set."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

SECRETS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI-test-id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s3cret-value",
           "ALIBABA_CLOUD_SECURITY_TOKEN": "sts-token-value", "SOME_OTHER_VAR": "not-for-children"}


class ReloadEnvironment(unittest.TestCase):
    def test_reload_command_gets_allowlist_and_configured_variables_only(self):
        port = free_port()
        with Pebble(port) as pebble:
            d = tempfile.mkdtemp(prefix="certman-env-")
            dump = os.path.join(d, "env.txt")
            os.makedirs(os.path.join(d, "out"))
            config = os.path.join(d, "certman.toml")
            reload = json.dumps(["sh", "-c", 'env > "$0"', dump])
            with open(config, "w") as f:
                f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
                        f'[acme]\ndirectory = "{pebble.directory_url}"\nagree_tos = true\n'
                        f'trusted_ca = "{pebble.tls_ca}"\n[storage]\npath = "{d}/state"\n'
                        f'[[deployer]]\nname = "files"\nkind = "files"\ndirectory = "{d}/out"\n'
                        f'reload_command = {reload}\n'
                        f'pass_environment = ["CERTMAN_TEST_PASS", "CERTMAN_TEST_UNSET"]\n'
                        f'environment = ["RELOAD_MODE=graceful", "LANG=C"]\n'
                        f'[[certificate]]\nname = "web"\ndomains = ["web.example.test"]\ndeploy = ["files"]\n')
            env = dict(os.environ, **SECRETS, CERTMAN_TEST_PASS="passed", TZ="UTC", LC_TIME="C", LANG="C.UTF-8")
            r = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=120, env=env)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(dump) as f:
                child = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
            for name, value in SECRETS.items():
                self.assertNotIn(name, child)
                self.assertNotIn(value, "\n".join(child.values()))
            self.assertEqual(child["PATH"], os.environ["PATH"])
            self.assertEqual(child["TZ"], "UTC")
            self.assertEqual(child["LC_TIME"], "C")
            self.assertEqual(child["CERTMAN_TEST_PASS"], "passed")
            self.assertNotIn("CERTMAN_TEST_UNSET", child)
            self.assertEqual(child["RELOAD_MODE"], "graceful")
            self.assertEqual(child["LANG"], "C")   # environment wins over the daemon's value


if __name__ == "__main__":
    unittest.main(verbosity=2)
