"""End to end (docs/alibaba-slb.md): Pebble issues, certman deploys to the Alibaba SLB emulator, and the emulator's
HTTPS listener then serves the stored certificate's fingerprint. A second run is a no-op; no secret in the logs."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "emulators"))
from alibaba_testlib import AK, LB, SK, Emulator  # noqa: E402
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


def der_sha1(pem):
    der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(), capture_output=True, check=True).stdout
    return hashlib.sha1(der).hexdigest()


class EndToEndSlb(unittest.TestCase):
    def test_pebble_issues_certman_deploys_listener_serves_it(self):
        d = tempfile.mkdtemp(prefix="certman-e2e-slb-")
        port = free_port()
        emu = Emulator()
        try:
            with Pebble(port) as pebble:
                secret = os.path.join(d, "alibaba-secret")
                with open(secret, "w") as f:
                    f.write(SK)
                os.chmod(secret, 0o600)
                config = os.path.join(d, "certman.toml")
                with open(config, "w") as f:
                    f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
                            f'[acme]\ndirectory = "{pebble.directory_url}"\nagree_tos = true\n'
                            f'trusted_ca = "{pebble.tls_ca}"\n[storage]\npath = "{d}/state"\n'
                            f'[[certificate]]\nname = "web"\ndomains = ["www.example.test"]\nkey_type = "rsa2048"\n'
                            f'deploy = ["slb"]\n'
                            f'[[deployer]]\nname = "slb"\nkind = "alicloud-slb"\nregion = "cn-hangzhou"\n'
                            f'load_balancer_id = "{LB}"\nlistener_ports = [443]\nendpoint = "{emu.base}"\n'
                            f'access_key_id = "{AK}"\naccess_key_secret_file = "{secret}"\n')
                r = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=180)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                with open(os.path.join(d, "state", "certificates", "web.json")) as f:
                    bundle = json.load(f)
                want = der_sha1(bundle["certificate_pem"])
                state = emu.control("GET", "state")
                lb = next(x for x in state["load_balancers"] if x["LoadBalancerId"] == LB)
                listener = next(x for x in lb["listeners"] if x["ListenerPort"] == 443)
                cert = next(c for c in state["server_certificates"]
                            if c["ServerCertificateId"] == listener["ServerCertificateId"])
                self.assertEqual(cert["Fingerprint"].replace(":", "").lower(), want)
                uploads = sum(1 for e in state["requests"] if e.get("action") == "UploadServerCertificate")
                self.assertEqual(uploads, 1)
                # Second run: the certificate is valid and deployed, so nothing is ordered or uploaded.
                r2 = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=120)
                self.assertEqual(r2.returncode, 0, r2.stdout + r2.stderr)
                state = emu.control("GET", "state")
                self.assertEqual(sum(1 for e in state["requests"] if e.get("action") == "UploadServerCertificate"), 1)
                for text in (r.stdout, r.stderr, r2.stdout, r2.stderr):
                    self.assertNotIn(SK, text)
                    self.assertNotIn("PRIVATE KEY", text)
        finally:
            emu.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
