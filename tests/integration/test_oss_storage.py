#!/usr/bin/env python3
"""oss_storage against the Alibaba emulator (docs/cluster-mode.md): runs certman_oss_contract (the storage
contract suite plus OSS specifics, tests/storage/oss_storage_test.cpp) twice against one emulator:
  1. clean (the versioned bucket "versioned-store" declared in the emulator state is refused);
  2. with OSS failing every 5th request with a bare 503 and every 13th with InternalError (retries, up to 10
     tries here, must hide every fault: nothing lost, create-if-absent still exactly-once);
and checks from the emulator's request log that the faults really happened. A versioned bucket is declared in
the emulator state so the refusal path runs too."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulators"))
from alibaba_testlib import FIXTURE, Emulator  # noqa: E402

BUILD = os.environ.get("CERTMAN_BUILD", "")
BINARY = os.path.join(BUILD, "certman_oss_contract")


class OssStorage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE, encoding="utf-8") as f:
            state = json.load(f)
        state.setdefault("oss", {})["versioning"] = {"versioned-store": "Enabled"}
        cls.tmp = tempfile.TemporaryDirectory()
        path = os.path.join(cls.tmp.name, "state.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(state, f)
        cls.emu = Emulator("--state", path)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.tmp.cleanup()

    def run_suite(self, *args, **extra_env):
        env = dict(os.environ, CERTMAN_OSS_ENDPOINT=self.emu.base, CERTMAN_OSS_VERSIONED_BUCKET="versioned-store",
                   **extra_env)
        p = subprocess.run([BINARY, "--no-colors=true", *args], env=env, capture_output=True, text=True,
                           timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout[-6000:] + p.stderr[-3000:])
        return p

    def oss_requests(self):
        return [r for r in self.emu.control("GET", "state")["requests"] if r["service"] == "oss"]

    def test_1_contract_clean(self):
        self.assertTrue(os.path.exists(BINARY), "build certman_oss_contract first: " + BINARY)
        self.emu.raw("DELETE", "/_emulator/requests")
        p = self.run_suite()
        self.assertIn("Status: SUCCESS", p.stdout)
        reqs = self.oss_requests()
        ops = {r["action"] for r in reqs}
        self.assertTrue({"PutObject", "GetObject", "DeleteObject", "ListObjectsV2", "GetBucketVersioning"} <= ops, ops)
        # Signed correctly throughout, apart from the deliberate wrong-secret case.
        bad = [r for r in reqs if r["outcome"] == "SignatureDoesNotMatch"]
        self.assertEqual(len(bad), 1, bad)

    def test_2_contract_under_faults(self):
        self.emu.raw("DELETE", "/_emulator/requests")
        self.emu.control("POST", "faults", [
            {"target": "oss", "kind": "status503", "every": 5, "times": -1},
            {"target": "oss", "code": "InternalError", "every": 13, "times": -1},
        ])
        try:
            self.run_suite("--test-case=oss_storage meets the storage contract,"
                           "oss_storage: list follows continuation tokens past one page",
                           CERTMAN_OSS_MAX_ATTEMPTS="10")
        finally:
            self.emu.raw("DELETE", "/_emulator/faults")
        outcomes = [r["outcome"] for r in self.oss_requests()]
        self.assertGreater(outcomes.count("fault:status503"), 20, "the 503 faults did not fire")
        self.assertGreater(outcomes.count("InternalError"), 10, "the InternalError faults did not fire")


if __name__ == "__main__":
    unittest.main(verbosity=2)
