"""The Alibaba emulator's CAS, ALB and NLB checks (tests/emulators/alibaba_emu/lb_v3.py, cas.py, lb_listeners.py),
including CAS listing by Status and DeleteUserCertificate (refused while a listener references the certificate),
driven by a V3 signer built on the emulator's own canonicalization, which reproduces vector D of the reference
(alibaba-cas-alb-nlb-alidns.md §1.3) byte for byte: so a client the emulator accepts is one that signs and places
its parameters as the SDKs do. No certman binary; about a second."""
import hashlib
import hmac
import json
import os
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "emulators"))
from alibaba_emu import acs3_auth  # noqa: E402
from alibaba_emu.clock import iso  # noqa: E402
from alibaba_testlib import AK, SK, Emulator, key_pem, make_cert  # noqa: E402

VERSION = {"cas": "2020-04-07", "alb": "2020-06-16", "nlb": "2022-04-30"}


def v3(emu, product, action, query="", form=None, *, secret=SK, tamper_sha=False, sign_type=True):
    """(status, JSON) of a V3 call; form (a dict) goes in an x-www-form-urlencoded body."""
    body = urllib.parse.urlencode(sorted(form.items()), quote_via=urllib.parse.quote, safe="-_.~").encode() \
        if form else b""
    h = {"host": emu.base.split("//", 1)[1], "x-acs-action": action, "x-acs-version": VERSION[product],
         "x-acs-date": iso(time.time()), "x-acs-signature-nonce": os.urandom(8).hex(),
         "x-acs-content-sha256": hashlib.sha256(b"x" if tamper_sha else body).hexdigest()}
    if body:
        h["content-type"] = "application/x-www-form-urlencoded"
    signed = sorted(n for n in h if sign_type or n != "content-type")
    sts = acs3_auth.string_to_sign(acs3_auth.canonical_request("POST", query, h, signed, body))
    h["Authorization"] = "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (
        AK, ";".join(signed), hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest())
    h.pop("host")
    status, _, data = emu.raw("POST", "/" + ("?" + query if query else ""), body or None, h)
    return status, json.loads(data)


class EmulatorLb(unittest.TestCase):
    def test_vector_d(self):
        body = b"CertificateIds.1=12345678-cn-hangzhou&ListenerId=lsn-abc%40443&RegionId=cn-hangzhou"
        h = {"content-type": "application/x-www-form-urlencoded", "host": "nlb.cn-hangzhou.aliyuncs.com",
             "x-acs-action": "UpdateListenerAttribute", "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
             "x-acs-date": "2025-01-01T00:00:00Z", "x-acs-signature-nonce": "3a7e5f0c-0000-4000-8000-000000000001",
             "x-acs-version": "2022-04-30"}
        sts = acs3_auth.string_to_sign(acs3_auth.canonical_request("POST", "", h, sorted(h), body))
        self.assertEqual(sts, "ACS3-HMAC-SHA256\n400ecec0ab590efb7bf4e4fa584f07b11c03ff1620653ae36e41d9ba1000d595")
        self.assertEqual(hmac.new(b"testsecret", sts.encode(), hashlib.sha256).hexdigest(),
                         "454f4aaba00361e348d6de1e44fc1a8960dc9c0936be58f095f3c67b4e98eb5f")

    def test_checks(self):
        emu = Emulator()
        self.addCleanup(emu.stop)
        for product, lid in (("alb", "lsn-a"), ("nlb", "lsn-n@443")):
            emu.control("POST", "listeners", {"product": product, "configuring_seconds": 30, "job_seconds": 0,
                                              "listeners": [{"ListenerId": lid, "RegionId": "cn-hangzhou"}]})
        pem, key, _ = make_cert("ec")
        q = lambda **p: urllib.parse.urlencode(sorted(p.items()), quote_via=urllib.parse.quote, safe="-_.~")
        upload = q(Name="certman_web_1", Cert=pem, Key=key_pem(key, "pkcs8"))
        status, body = v3(emu, "cas", "UploadUserCertificate", upload)
        self.assertEqual(status, 200, body)
        cid = body["CertId"]
        self.assertEqual(v3(emu, "cas", "UploadUserCertificate", upload)[1]["Code"], "NameRepeat")
        self.assertEqual(v3(emu, "cas", "UploadUserCertificate", q(Name="bad-name", Cert=pem, Key=key_pem(key)))[1]["Code"],
                         "InvalidParameter.Name")
        other, _, _ = make_cert("ec")
        self.assertEqual(v3(emu, "cas", "UploadUserCertificate", q(Name="x", Cert=other, Key=key_pem(key)))[1]["Code"],
                         "InvalidParameter.KeyNotMatch")
        self.assertEqual(v3(emu, "cas", "UploadUserCertificate", "", {"Name": "y", "Cert": pem, "Key": "k"})[1]["Code"],
                         "InvalidParameter")                     # CAS takes the query, not a body
        self.assertEqual(v3(emu, "cas", "GetUserCertificateDetail", q(CertId=str(cid), CertFilter="true"))[1]
                         ["CertIdentifier"], "%d-cn-hangzhou" % cid)
        self.assertEqual(v3(emu, "cas", "GetUserCertificateDetail", q(CertId="1"), secret="wrong")[1]["Code"],
                         "SignatureDoesNotMatch")
        self.assertEqual(v3(emu, "cas", "GetUserCertificateDetail", q(CertId="1"), tamper_sha=True)[1]["Code"],
                         "InvalidParameter")                     # x-acs-content-sha256 is not the body's
        self.assertEqual(v3(emu, "alb", "GetJobStatus", q(JobId="j"))[1]["Code"], "InvalidAction.NotFound")

        # NLB: write parameters in the query are refused; in the body they work; content-type must be signed.
        ident = "%d-cn-hangzhou" % cid
        nlb = {"ListenerId": "lsn-n@443", "RegionId": "cn-hangzhou", "CertificateIds.1": ident, "ClientToken": "t1"}
        self.assertEqual(v3(emu, "nlb", "UpdateListenerAttribute", q(**nlb))[1]["Code"], "IllegalParam")
        self.assertEqual(v3(emu, "nlb", "UpdateListenerAttribute", "", nlb, sign_type=False)[1]["Code"],
                         "IncompleteSignature")
        status, body = v3(emu, "nlb", "UpdateListenerAttribute", "", nlb)
        self.assertEqual(status, 200, body)
        job = body["JobId"]
        self.assertEqual(v3(emu, "nlb", "UpdateListenerAttribute", "", nlb)[1]["JobId"], job)   # same ClientToken
        self.assertEqual(v3(emu, "nlb", "UpdateListenerAttribute", "", dict(nlb, ClientToken="t2"))[1]["Code"],
                         "IncorrectStatus.listener")             # Configuring after the first update
        self.assertEqual(v3(emu, "nlb", "GetJobStatus", q(JobId=job))[1]["Status"], "Succeeded")
        got = v3(emu, "nlb", "GetListenerAttribute", q(ListenerId="lsn-n@443", RegionId="cn-hangzhou"))[1]
        self.assertEqual((got["ListenerStatus"], got["CertificateIds"]), ("Configuring", [ident]))

        # ALB: parameters in the query; a certificate of another region or unknown to CAS is refused.
        alb = lambda cert, token: q(ListenerId="lsn-a", **{"Certificates.1.CertificateId": cert}, ClientToken=token)
        self.assertEqual(v3(emu, "alb", "UpdateListenerAttribute", alb("%d-cn-beijing" % cid, "a1"))[1]["Code"],
                         "ResourceNotFound.Certificate")
        self.assertEqual(v3(emu, "alb", "UpdateListenerAttribute", alb("999-cn-hangzhou", "a2"))[1]["Code"],
                         "ResourceNotFound.Certificate")
        self.assertEqual(v3(emu, "alb", "UpdateListenerAttribute", q(ListenerId="lsn-x"))[1]["Code"],
                         "ResourceNotFound.Listener")
        status, body = v3(emu, "alb", "UpdateListenerAttribute", alb(ident, "a3"))
        self.assertEqual(status, 200, body)
        jobs = v3(emu, "alb", "ListAsynJobs", q(**{"JobIds.1": body["JobId"]}))[1]["Jobs"]
        self.assertEqual([j["Status"] for j in jobs], ["Succeeded"])
        self.assertEqual(v3(emu, "alb", "UpdateListenerAttribute", alb(ident, "a4"))[1]["Code"], "IncorrectStatus.Listener")

        # A failed job leaves the certificate as it was.
        emu.control("POST", "listeners", {"product": "alb", "configuring_seconds": 0,
                                          "listeners": [{"ListenerId": "lsn-b", "RegionId": "cn-hangzhou"}]})
        emu.control("POST", "faults", {"target": "alb", "kind": "failed_job"})
        body = v3(emu, "alb", "UpdateListenerAttribute", q(ListenerId="lsn-b", **{"Certificates.1.CertificateId": ident}))[1]
        job = v3(emu, "alb", "ListAsynJobs", q(**{"JobIds.1": body["JobId"]}))[1]["Jobs"][0]
        self.assertEqual((job["Status"], job["ErrorCode"]), ("Failed", "InternalError"))
        self.assertEqual(v3(emu, "alb", "GetListenerAttribute", q(ListenerId="lsn-b"))[1]["Certificates"], [])

    def test_cas_status_listing_and_delete(self):
        emu = Emulator()
        self.addCleanup(emu.stop)
        q = lambda **p: urllib.parse.urlencode(sorted(p.items()), quote_via=urllib.parse.quote, safe="-_.~")
        pem, key, _ = make_cert("ec")
        status, body = v3(emu, "cas", "UploadUserCertificate", q(Name="certman_web_a", Cert=pem, Key=key_pem(key)))
        self.assertEqual(status, 200, body)
        live = body["CertId"]
        old, _, _ = make_cert("ec", valid_days=(-100, -10))
        emu.control("POST", "cas", {"certificates": [{"Name": "certman_web_b", "Cert": old}]})
        (expired,) = [c["CertificateId"] for c in emu.control("GET", "state")["cas"]["certificates"] if c["CertificateId"] != live]
        listing = lambda **p: v3(emu, "cas", "ListUserCertificateOrder", q(OrderType="UPLOAD", **p))[1]
        ids = lambda **p: [c["CertificateId"] for c in listing(**p)["CertificateOrderList"]]
        self.assertEqual(ids(), [live])                              # default: ISSUED and WILLEXPIRED only (§2.2)
        self.assertEqual(ids(Status="EXPIRED"), [expired])
        self.assertEqual(listing(Status="EXPIRED")["CertificateOrderList"][0]["Expired"], True)
        self.assertEqual(ids(Status="ISSUED"), [live])
        self.assertEqual(ids(Status="REVOKED"), [])
        self.assertEqual(listing(Status="GONE")["Code"], "InvalidParameter.Status")

        delete = lambda cid, **kw: v3(emu, "cas", "DeleteUserCertificate", q(CertId=str(cid)), **kw)[1]
        self.assertEqual(v3(emu, "cas", "DeleteUserCertificate", "")[1]["Code"], "MissingParameter")
        self.assertEqual(delete("abc")["Code"], "InvalidParameter.CertId")
        self.assertEqual(delete(999)["Code"], "NotFound")
        self.assertEqual(delete(live, secret="wrong")["Code"], "SignatureDoesNotMatch")
        self.assertEqual(v3(emu, "cas", "DeleteUserCertificate", "", {"CertId": str(live)})[1]["Code"],
                         "InvalidParameter")                     # the query, as the SDKs send it
        # Referenced by an ALB listener ("<id>-<region>") or an NLB listener (a bare id): refused; once no
        # listener references it, deleted.
        listeners = lambda product, lid, certs: emu.control("POST", "listeners", {"product": product, "listeners": [
            {"ListenerId": lid, "RegionId": "cn-hangzhou", "CertificateIds": certs}]})
        listeners("alb", "lsn-a", ["%d-cn-hangzhou" % live])
        listeners("nlb", "lsn-n@443", [str(expired)])
        self.assertEqual(delete(live)["Code"], "CertificateInUse")
        self.assertEqual(delete(expired)["Code"], "CertificateInUse")
        listeners("nlb", "lsn-n@443", [])
        self.assertIn("RequestId", delete(expired))
        self.assertEqual(ids(Status="EXPIRED"), [])
        self.assertEqual(delete(expired)["Code"], "NotFound")
        # Bound outside the emulator (POST /_emulator/cas "bound"), and an injected fault.
        listeners("alb", "lsn-a", [])
        emu.control("POST", "cas", {"bound": [live]})
        self.assertEqual(delete(live)["Code"], "CertificateInUse")
        emu.control("POST", "cas", {"bound": []})
        emu.control("POST", "faults", {"target": "cas", "action": "DeleteUserCertificate", "code": "Throttling.User"})
        self.assertEqual(delete(live)["Code"], "Throttling.User")
        self.assertIn("RequestId", delete(live))
        self.assertEqual(ids(), [])
        log = [(e["action"], e["outcome"]) for e in emu.control("GET", "state")["requests"]]
        self.assertIn(("DeleteUserCertificate", "CertificateInUse"), log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
