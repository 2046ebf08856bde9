"""Integration: `certman status` against a running daemon with many certificates (bench/README.md, "Many
certificates"). The final reply line carries the whole /status document, about 300 bytes per certificate;
with more than a dozen certificates it outgrew the request line bound and the CLI refused it. 60 certificates
whose CA is unreachable (nothing is issued; the daemon still lists each one)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port, server_toml, wait_port  # noqa: E402

COUNT = 60


class StatusMany(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="certman-status-many-")
        self.port, admin, closed = free_port(), free_port(), free_port()
        self.config = os.path.join(self.d, "certman.toml")
        with open(self.config, "w") as f:
            f.write(server_toml(self.port) + f'[admin]\nlisten = "127.0.0.1:{admin}"\n'
                    f'control_socket = "{self.d}/certman.sock"\n'
                    f'[acme]\ndirectory = "https://127.0.0.1:{closed}/dir"\nagree_tos = true\n'
                    f'[storage]\npath = "{self.d}/state"\n')
            for i in range(COUNT):
                f.write(f'[[certificate]]\nname = "customer-{i:03d}"\n'
                        f'domains = ["customer-{i:03d}.example.test", "www.customer-{i:03d}.example.test"]\n')
        self.log = open(os.path.join(self.d, "certman.log"), "wb")
        self.proc = subprocess.Popen([BIN, "run", "-c", self.config], stdout=self.log, stderr=self.log)
        wait_port(self.port, proc=self.proc)
        deadline = time.time() + 10
        while not os.path.exists(os.path.join(self.d, "certman.sock")) and time.time() < deadline:
            time.sleep(0.05)

    def tearDown(self):
        os.kill(self.proc.pid, 15)
        self.proc.wait(15)
        self.log.close()

    def status(self, *args):
        return subprocess.run([BIN, "status", *args, "-c", self.config], capture_output=True, text=True, timeout=30)

    def test_status_lists_every_certificate_through_the_socket(self):
        js = self.status("--json")
        self.assertEqual(js.returncode, 0, js.stdout + js.stderr)
        doc = json.loads(js.stdout)
        self.assertGreater(len(js.stdout), 4096)  # over the request line bound
        self.assertEqual(sorted(c["name"] for c in doc["certificates"]), [f"customer-{i:03d}" for i in range(COUNT)])
        table = self.status()  # exit 4: no certificate could be obtained, which the table says for each
        self.assertNotIn("longer than the protocol allows", table.stderr)
        self.assertEqual(sum(1 for line in table.stdout.splitlines() if line.startswith("customer-")), COUNT)


if __name__ == "__main__":
    unittest.main()
