"""DNS-01 on Alibaba Cloud DNS end to end (README "DNS-01 on Alibaba Cloud DNS"): Pebble validates through
pebble-challtestsrv, the Alibaba emulator plays Alidns (V3 signatures checked) and mirrors every TXT record it
adds or deletes into challtestsrv. `certman renew` obtains a certificate for www.example.test and *.example.test
with the zone discovered by DescribeDomains, through an injected Throttling.User; the records are added, then
deleted; a wrong secret fails with a message naming the fix; no secret in the output."""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "emulators"))
from alibaba_emu import acs3_auth  # noqa: E402
from alibaba_emu.clock import iso  # noqa: E402
from alibaba_testlib import AK, SK, Emulator  # noqa: E402
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402


def write_secret(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)


def config_text(d, port, pebble, emu, secret, name, domains):
    names = ", ".join('"%s"' % n for n in domains)
    return (f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\ncontrol_socket = ""\n'
            f'[acme]\ndirectory = "{pebble.directory_url}"\nagree_tos = true\ntrusted_ca = "{pebble.tls_ca}"\n'
            f'[storage]\npath = "{d}/state"\n'
            f'[challenge]\ntype = "dns-01"\nprovider = "alidns"\nendpoint = "{emu.base}"\n'
            f'access_key_id = "{AK}"\naccess_key_secret_file = "{secret}"\n'
            f'resolvers = ["127.0.0.1:{pebble.dns_port}"]\npropagation_timeout = "20s"\npoll_interval = "1s"\n'
            f'[[certificate]]\nname = "{name}"\ndomains = [{names}]\n')


def sans(pem):
    r = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName"], input=pem.encode(),
                       capture_output=True, check=True)
    return sorted(x.strip() for x in r.stdout.decode().splitlines()[1].split(","))


def v3_call(emu, action, query, *, secret=SK, nonce=None, when=None, drop=None):
    """(status, JSON) of a V3-signed Alidns call, signed with the emulator's own canonicalization."""
    host = emu.base.split("//", 1)[1]
    h = {"host": host, "x-acs-action": action, "x-acs-version": "2015-01-09",
         "x-acs-date": iso(when if when is not None else time.time()),
         "x-acs-signature-nonce": nonce or os.urandom(8).hex(),
         "x-acs-content-sha256": hashlib.sha256(b"").hexdigest()}
    signed = sorted(h)
    sts = acs3_auth.string_to_sign(acs3_auth.canonical_request("POST", query, h, signed, b""))
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={';'.join(signed)},Signature={sig}"
    if drop:
        h.pop(drop)
    h.pop("host")
    status, _, body = emu.raw("POST", "/?" + query, b"", h)
    return status, json.loads(body)


class Dns01Alidns(unittest.TestCase):
    def test_emulator_v3_checks(self):
        # The emulator's canonicalization reproduces vector A of the reference (section 1.3) byte for byte.
        h = {"host": "alidns.aliyuncs.com", "x-acs-action": "AddDomainRecord", "x-acs-version": "2015-01-09",
             "x-acs-date": "2025-01-01T00:00:00Z", "x-acs-signature-nonce": "3a7e5f0c-0000-4000-8000-000000000001",
             "x-acs-content-sha256": hashlib.sha256(b"").hexdigest()}
        q = "Value=XKrxpRBosdIKFzxW_CT3KLZNf6q0HG9i01zxXp5CPBs&TTL=600&DomainName=example.com&Type=TXT&RR=_acme-challenge.www"
        sts = acs3_auth.string_to_sign(acs3_auth.canonical_request("POST", q, h, sorted(h), b""))
        self.assertEqual(sts, "ACS3-HMAC-SHA256\n35c2bb3b431a06eaa5eb3520c58f425db3619b8977a8544852dac9c1aac4586d")
        self.assertEqual(hmac.new(b"testsecret", sts.encode(), hashlib.sha256).hexdigest(),
                         "b61cc76b25660f912fb3dbfaa1fdaea2418a91cac7c0a50b50d3976ada4de866")
        emu = Emulator()
        try:
            q = "DomainName=example.test&RR=_acme-challenge&TTL=600&Type=TXT&Value=abc"
            status, body = v3_call(emu, "AddDomainRecord", q, nonce="n-1")
            self.assertEqual(status, 200, body)
            rid = body["RecordId"]
            self.assertEqual(v3_call(emu, "AddDomainRecord", q)[1]["Code"], "DomainRecordDuplicate")
            self.assertEqual(v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid, nonce="n-1")[1]["Code"],
                             "SignatureNonceUsed")
            self.assertEqual(v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid, secret="wrong")[1]["Code"],
                             "SignatureDoesNotMatch")
            self.assertEqual(v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid, when=time.time() - 3600)[1]["Code"],
                             "InvalidTimeStamp.Expired")
            self.assertEqual(v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid, drop="Authorization")[1]["Code"],
                             "IncompleteSignature")
            self.assertEqual(v3_call(emu, "AddDomainRecord", q.replace("example.test", "nope.test"))[1]["Code"],
                             "IncorrectDomainUser")
            status, body = v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid)
            self.assertEqual((status, body["RecordId"]), (200, rid))
            self.assertEqual(v3_call(emu, "DeleteDomainRecord", "RecordId=" + rid)[1]["Code"],
                             "DomainRecordNotBelongToUser")
        finally:
            emu.stop()

    def test_wildcard_certificate_through_alidns(self):
        d = tempfile.mkdtemp(prefix="certman-dns01-")
        port = free_port()
        with Pebble(port) as pebble:
            emu = Emulator("--challtestsrv", f"http://127.0.0.1:{pebble.dns_mgmt_port}")
            try:
                self.run_good(d, port, pebble, emu)
                self.run_bad_secret(d, port, pebble, emu)
                self.run_endless_domain_listing(d, port, pebble, emu)
            finally:
                emu.stop()

    def run_good(self, d, port, pebble, emu):
        secret = os.path.join(d, "alibaba-secret")
        write_secret(secret, SK)
        config = os.path.join(d, "certman.toml")
        with open(config, "w") as f:
            f.write(config_text(d, port, pebble, emu, secret, "wild", ["www.example.test", "*.example.test"]))
        emu.control("POST", "faults", {"target": "alidns", "action": "AddDomainRecord", "code": "Throttling.User"})
        r = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(d, "state", "certificates", "wild.json")) as f:
            bundle = json.load(f)
        self.assertEqual(sans(bundle["certificate_pem"]), ["DNS:*.example.test", "DNS:www.example.test"])
        state = emu.control("GET", "state")
        history = state["alidns"]["history"]
        added = {(h[1], h[3]) for h in history if h[0] == "add"}
        deleted = {(h[1], h[3]) for h in history if h[0] == "delete"}
        self.assertEqual({h[0] for h in added}, {"_acme-challenge.www.example.test", "_acme-challenge.example.test"})
        self.assertEqual(added, deleted)                 # exactly the records it added, each deleted
        self.assertEqual(state["alidns"]["records"], [])
        actions = [(e["action"], e["outcome"]) for e in state["requests"] if e["service"] == "alidns"]
        self.assertIn(("DescribeDomains", "ok"), actions)  # the zone was discovered
        self.assertEqual(actions.count(("AddDomainRecord", "Throttling.User")), 1)  # injected, then retried
        self.assertEqual(actions.count(("AddDomainRecord", "ok")), 2)
        for text in (r.stdout, r.stderr):
            self.assertNotIn(SK, text)
            self.assertNotIn("runtime error", text)   # UBSan, when the binary is an ASan/UBSan build

    def run_bad_secret(self, d, port, pebble, emu):
        bad = os.path.join(d, "bad-secret")
        write_secret(bad, "not-the-secret")
        d2 = os.path.join(d, "bad")
        os.makedirs(d2)
        config = os.path.join(d2, "certman.toml")
        with open(config, "w") as f:
            f.write(config_text(d2, port, pebble, emu, bad, "bad", ["bad.example.test"]))
        r = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=120)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 4, out)          # README "Exit codes": a certificate could not be obtained
        self.assertNotIn("AddressSanitizer", out)
        self.assertIn("SignatureDoesNotMatch", out)
        self.assertIn("check access_key_secret_file", out)
        self.assertNotIn("not-the-secret", out)
        self.assertNotIn("server string to sign", out)


    def run_endless_domain_listing(self, d, port, pebble, emu):
        """A broken or hostile Alidns: DescribeDomains claims TotalCount 10^9 and answers every PageNumber with page
        1. certman reads one page and refuses with the fix (set the zone), instead of paging on and choosing a zone
        from a partial listing."""
        d3 = os.path.join(d, "endless")
        os.makedirs(d3)
        config = os.path.join(d3, "certman.toml")
        with open(config, "w") as f:
            f.write(config_text(d3, port, pebble, emu, os.path.join(d, "alibaba-secret"), "endless",
                                ["endless.example.test"]))
        emu.raw("DELETE", "/_emulator/requests")
        emu.control("POST", "faults", {"target": "alidns", "kind": "patch", "action": "DescribeDomains", "times": -1,
                                       "repeat_first_page": True, "patch": {"TotalCount": 1000000000}})
        try:
            r = subprocess.run([BIN, "renew", "-c", config], capture_output=True, text=True, timeout=120)
        finally:
            emu.raw("DELETE", "/_emulator/faults")
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 4, out)
        self.assertIn("DescribeDomains: TotalCount 1000000000 is more than the 5000 entries certman reads", out)
        self.assertIn("set zone in [challenge]", out)
        self.assertNotIn("AddressSanitizer", out)
        actions = [e["action"] for e in emu.control("GET", "state")["requests"] if e["service"] == "alidns"]
        self.assertEqual(actions.count("DescribeDomains"), 1, actions)
        self.assertNotIn("AddDomainRecord", actions)

if __name__ == "__main__":
    unittest.main(verbosity=2)
