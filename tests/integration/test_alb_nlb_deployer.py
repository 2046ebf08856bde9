"""alicloud-alb and alicloud-nlb deployers end to end (docs/deploying-on-alibaba.md, reference
alibaba-cas-alb-nlb-alidns.md §9): Pebble issues, certman uploads the certificate to the emulator's CAS once and
points one ALB and one NLB listener at it (V3-signed; NLB write parameters in a form body), retrying injected
Throttling, SystemBusy and bare 503 answers (each costs rpc_client's first backoff, 0.5-1 s); a second pass through a new deployer on the same listener changes nothing;
a forced renewal replaces the listeners' certificates while a deployer with a wrong listener id fails with a
clear message and a failed NLB job is finished on the next pass. Superseded CAS uploads: after three renewals with
keep_previous = 1, CAS holds the current and one older certman upload and the uploads certman did not make; a
refused deletion is a warning, the deploy succeeds and the next one cleans up; with keep_previous = 0 an upload
another listener still serves is refused by CAS and deleted once that listener moves on. No secret or key in the
output."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "emulators"))
from alibaba_testlib import AK, SK, Emulator, make_cert  # noqa: E402
from certman_harness import BIN, free_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

ALB, NLB, REGION = "lsn-alb0000000001", "lsn-nlb0000000001@443", "cn-hangzhou"


def der_sha256(pem):
    der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(), capture_output=True,
                         check=True).stdout
    return hashlib.sha256(der).hexdigest().upper()


def deployer(name, kind, listener, emu, secret, keep=None):
    return (f'[[deployer]]\nname = "{name}"\nkind = "{kind}"\nregion = "{REGION}"\nlistener_id = "{listener}"\n'
            f'endpoint = "{emu.base}"\ncas_endpoint = "{emu.base}"\naccess_key_id = "{AK}"\n'
            f'access_key_secret_file = "{secret}"\n' + ("" if keep is None else f"keep_previous = {keep}\n"))


class AlbNlbDeployer(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="certman-alb-nlb-")
        self.emu = Emulator()
        self.addCleanup(self.emu.stop)
        for product, lid in (("alb", ALB), ("nlb", NLB)):
            self.emu.control("POST", "listeners", {"product": product, "configuring_seconds": 0.3, "job_seconds": 0.2,
                                                   "listeners": [{"ListenerId": lid, "RegionId": REGION,
                                                                  "CertificateIds": ["1000-" + REGION]}]})
        self.secret = os.path.join(self.d, "alibaba-secret")
        with open(self.secret, "w") as f:
            f.write(SK)
        os.chmod(self.secret, 0o600)

    def write_config(self, pebble, port, deploy, extra="", keep=None):
        path = os.path.join(self.d, "certman.toml")
        with open(path, "w") as f:
            f.write(f'[server]\nlisten = "127.0.0.1:{port}"\n[admin]\nenabled = false\n'
                    f'[acme]\ndirectory = "{pebble.directory_url}"\nagree_tos = true\n'
                    f'trusted_ca = "{pebble.tls_ca}"\n[storage]\npath = "{self.d}/state"\n'
                    f'[[certificate]]\nname = "web"\ndomains = ["www.example.test"]\ndeploy = {json.dumps(deploy)}\n'
                    + deployer("alb", "alicloud-alb", ALB, self.emu, self.secret, keep)
                    + deployer("nlb", "alicloud-nlb", NLB, self.emu, self.secret, keep) + extra)
        return path

    def renew(self, config, *args):
        r = subprocess.run([BIN, "renew", "-c", config, *args], capture_output=True, text=True, timeout=60)
        for text in (r.stdout, r.stderr):
            self.assertNotIn(SK, text)
            self.assertNotIn("PRIVATE KEY", text)
        return r

    def state(self):
        return self.emu.control("GET", "state")

    def count(self, action, service=None, outcome="ok"):
        return sum(1 for e in self.state()["requests"] if e["action"] == action and e["outcome"] == outcome
                   and (service is None or e["service"] == service))

    def served(self):
        """{product: the CAS Sha2 of the certificate each listener serves}, and every listener is Running later."""
        s = self.state()
        by_id = {c["CertificateId"]: c for c in s["cas"]["certificates"]}
        out = {}
        for product in ("alb", "nlb"):
            (l,) = s[product]["listeners"]
            cid = l["CertificateIds"][0]
            self.assertTrue(cid.endswith("-" + REGION), cid)
            out[product] = by_id[int(cid.split("-")[0])]["Sha2"]
        return out

    def leaf(self):
        with open(os.path.join(self.d, "state", "certificates", "web.json")) as f:
            return der_sha256(json.load(f)["certificate_pem"])

    def test_deploy_reuse_renew_and_a_wrong_listener(self):
        port = free_port()
        with Pebble(port) as pebble:
            config = self.write_config(pebble, port, ["alb", "nlb"])
            self.emu.control("POST", "faults", [
                {"target": "cas", "action": "UploadUserCertificate", "code": "Throttling.User"},
                {"target": "alb", "action": "UpdateListenerAttribute", "code": "SystemBusy"},
                {"target": "nlb", "action": "GetJobStatus", "kind": "status503"}])
            r = self.renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            first = self.leaf()
            self.assertEqual(self.served(), {"alb": first, "nlb": first})
            self.assertEqual(self.count("UploadUserCertificate"), 1)       # NLB reused ALB's upload
            self.assertEqual(self.count("UpdateListenerAttribute", "alb"), 1)
            self.assertEqual(self.count("UpdateListenerAttribute", "nlb"), 1)
            for action, service, code in (("UploadUserCertificate", "cas", "Throttling.User"),
                                          ("UpdateListenerAttribute", "alb", "SystemBusy"),
                                          ("GetJobStatus", "nlb", "fault:status503")):
                self.assertEqual(self.count(action, service, code), 1, (action, code))
            self.assertEqual(self.state()["faults"], [])

            # Second pass with a new deployer on the same ALB listener: it judges from the listener itself that
            # the certificate is there already, so nothing is uploaded or updated.
            extra = deployer("alb-again", "alicloud-alb", ALB, self.emu, self.secret)
            config = self.write_config(pebble, port, ["alb", "nlb", "alb-again"], extra)
            reads = self.count("GetListenerAttribute", "alb")
            r = self.renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("deployer alb-again: already serving serial", r.stdout + r.stderr)
            self.assertEqual(self.count("GetListenerAttribute", "alb"), reads + 1)   # it looked, then stopped
            self.assertEqual(self.count("UploadUserCertificate"), 1)
            self.assertEqual(self.count("UpdateListenerAttribute", "alb") + self.count("UpdateListenerAttribute", "nlb"), 2)

            # Forced renewal: a new certificate replaces the ALB listener's certificate, although a deployer with a
            # wrong listener id fails first (and says which listener and region to check); the NLB's update job
            # fails (injected), so NLB keeps the old certificate until the next pass.
            extra = deployer("alb-wrong", "alicloud-alb", "lsn-doesnotexist", self.emu, self.secret)
            config = self.write_config(pebble, port, ["alb-wrong", "alb", "nlb"], extra)
            self.emu.control("POST", "faults", {"target": "nlb", "kind": "failed_job"})
            r = self.renew(config, "--force")
            out = r.stdout + r.stderr
            self.assertNotEqual(r.returncode, 0, out)
            self.assertIn("ResourceNotFound.Listener", out)
            self.assertIn('check listener_id "lsn-doesnotexist": no ALB listener with that id in region cn-hangzhou', out)
            self.assertIn("the update job failed: the service gives no reason", out)   # NLB GetJobStatus has no code
            second = self.leaf()
            self.assertNotEqual(first, second)
            self.assertEqual(self.served(), {"alb": second, "nlb": first})
            self.assertEqual(self.count("UploadUserCertificate"), 1 + 1)

            # Next pass: the failed NLB deploy is retried and converges on the certificate already in CAS.
            r = self.renew(config)
            self.assertEqual(self.served(), {"alb": second, "nlb": second}, r.stdout + r.stderr)
            self.assertEqual(self.count("UploadUserCertificate"), 2)
            self.assertEqual(len(self.state()["cas"]["certificates"]), 2)   # the old upload is kept: keep_previous = 1

    def seed_foreign(self):
        """Uploads certman did not make for "web": a Terraform bootstrap, another certificate's, and an expired one
        named as certman names web's (which certman does delete: it is its own, listed only with Status=EXPIRED)."""
        pem = lambda days: make_cert("ec", valid_days=days)[0]
        self.emu.control("POST", "cas", {"certificates": [
            {"Name": "terraform_bootstrap", "Cert": pem((0, 90))},
            {"Name": "certman_web2_20250101_ab", "Cert": pem((0, 90))},
            {"Name": "certman_web_20200101_ab", "Cert": pem((-100, -10))}]})

    def names(self):
        return sorted(c["Name"] for c in self.state()["cas"]["certificates"])

    def uploads_of_web(self):
        """Names of certman's uploads of "web", by CertId (upload order)."""
        certs = sorted(self.state()["cas"]["certificates"], key=lambda c: c["CertificateId"])
        return [c["Name"] for c in certs if c["Name"].startswith("certman_web_") and c["Name"] != "certman_web_20200101_ab"]

    def test_cleanup_keep_previous_1_with_a_refused_deletion(self):
        port = free_port()
        self.seed_foreign()
        foreign = ["certman_web2_20250101_ab", "terraform_bootstrap"]
        with Pebble(port) as pebble:
            config = self.write_config(pebble, port, ["alb", "nlb"], keep=1)
            r = self.renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(self.names(), sorted(foreign + ["certman_web_20200101_ab"] + self.uploads_of_web()))
            self.assertEqual(len(self.uploads_of_web()), 1)        # the expired one is the one previous upload kept

            # Every deletion refused: warnings, the deploy still succeeds, nothing is deleted.
            self.emu.control("POST", "faults", {"target": "cas", "action": "DeleteUserCertificate",
                                                "code": "Forbidden.RAM", "times": -1})
            r = self.renew(config, "--force")
            out = r.stdout + r.stderr
            self.assertEqual(r.returncode, 0, out)
            self.assertIn("cleanup: delete CAS certificate", out)
            self.assertIn("yundun-cert:DeleteUserCertificate", out)
            self.assertEqual(self.count("DeleteUserCertificate", outcome="Forbidden.RAM"), 2)   # once per deployer
            self.assertEqual(len(self.uploads_of_web()), 2)
            self.assertIn("certman_web_20200101_ab", self.names())
            self.emu.control("DELETE", "faults")

            # Third renewal: the current and one older upload remain, and what certman did not upload.
            r = self.renew(config, "--force")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            web = self.uploads_of_web()
            self.assertEqual(len(web), 2, web)
            self.assertEqual(self.names(), sorted(foreign + web))
            current = self.leaf()
            self.assertEqual(self.served(), {"alb": current, "nlb": current})
            by_name = {c["Name"]: c for c in self.state()["cas"]["certificates"]}
            self.assertEqual(by_name[web[1]]["Sha2"], current)    # the newest upload is the one served
            self.assertEqual(self.count("DeleteUserCertificate"), 2)   # the first upload and the expired one
            self.assertEqual(self.count("UploadUserCertificate"), 3)
            # Every action certman called is in the example least-privilege policy.
            with open(os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "examples", "alb-nlb-ram-policy.json")) as f:
                granted = {a for st in json.load(f)["Statement"] for a in st["Action"]}
            ram = {"cas": "yundun-cert", "alb": "alb", "nlb": "nlb"}
            called = {ram[e["service"]] + ":" + e["action"] for e in self.state()["requests"] if e["service"] in ram}
            self.assertIn("yundun-cert:DeleteUserCertificate", called)
            self.assertEqual(called - granted, set())

    def test_cleanup_keep_previous_0_waits_for_the_other_listener(self):
        port = free_port()
        self.seed_foreign()
        with Pebble(port) as pebble:
            config = self.write_config(pebble, port, ["alb", "nlb"], keep=0)
            r = self.renew(config)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(self.names(), sorted(["certman_web2_20250101_ab", "terraform_bootstrap"] + self.uploads_of_web()))
            (first,) = self.uploads_of_web()
            # The ALB deployer switches first; the NLB listener still serves the first upload, so CAS refuses to
            # delete it (a warning); the NLB deployer then switches and deletes it.
            r = self.renew(config, "--force")
            out = r.stdout + r.stderr
            self.assertEqual(r.returncode, 0, out)
            self.assertEqual(self.count("DeleteUserCertificate", outcome="CertificateInUse"), 1, out)
            self.assertEqual(self.count("DeleteUserCertificate"), 1 + 1)   # the expired one, then the first upload
            web = self.uploads_of_web()
            self.assertNotIn(first, web)
            self.assertEqual(len(web), 1)
            self.assertEqual(self.names(), sorted(["certman_web2_20250101_ab", "terraform_bootstrap"] + web))

if __name__ == "__main__":
    unittest.main(verbosity=2)
