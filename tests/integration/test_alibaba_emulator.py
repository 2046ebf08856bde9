#!/usr/bin/env python3
"""The Alibaba emulator checks requests the way the real SLB gateway and ECS metadata service do (reference
alibaba-api.md §7): good paths with an independent signer, then each rejection, faults and the IMDS modes."""
import datetime
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulators"))
from alibaba_testlib import (AK, LB, SK, Emulator, form, key_pem, make_cert,  # noqa: E402
                             sha1_fingerprint, signed)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}

emu = None


def setUpModule():
    global emu
    emu = Emulator()


def tearDownModule():
    emu.stop()


def listener_cert():
    status, body = emu.call("DescribeLoadBalancerHTTPSListenerAttribute",
                            {"LoadBalancerId": LB, "ListenerPort": "443"})
    assert status == 200, body
    return body["ServerCertificateId"]


class SignedCalls(unittest.TestCase):
    def test_describe_load_balancers_get_and_post(self):
        for method in ("GET", "POST"):
            with self.subTest(method=method):
                status, body = emu.call("DescribeLoadBalancers", method=method)
                self.assertEqual(status, 200, body)
                self.assertIn("RequestId", body)
                self.assertEqual(body["TotalCount"], 1)
                lb = body["LoadBalancers"]["LoadBalancer"][0]
                self.assertEqual(lb["LoadBalancerId"], LB)
                self.assertEqual(lb["RegionId"], "cn-hangzhou")

    def test_signature_in_query_rest_in_form_body(self):
        status, body = emu.call("DescribeServerCertificates", split=True)
        self.assertEqual(status, 200, body)
        certs = body["ServerCertificates"]["ServerCertificate"]
        self.assertTrue(certs)   # the listener's certificate always exists
        for c in certs:
            self.assertRegex(c["Fingerprint"], r"^[0-9a-f]{2}(:[0-9a-f]{2}){19}$")
            self.assertIsInstance(c["SubjectAlternativeNames"]["SubjectAlternativeName"], list)

    def test_listener_attribute_shape(self):
        status, body = emu.call("DescribeLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "443"})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["ListenerPort"], 443)
        self.assertEqual(body["Bandwidth"], -1)
        self.assertEqual(body["DomainExtensions"], {"DomainExtension": []})
        status, body = emu.call("DescribeLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "8443"})
        self.assertEqual((status, body["Code"]), (404, "ListenerNotFound"))
        status, body = emu.call("DescribeLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": "lb-nope", "ListenerPort": "443"})
        self.assertEqual((status, body["Code"]), (404, "InvalidLoadBalancerId.NotFound"))


class Rejections(unittest.TestCase):
    def check(self, want_status, want_code, **kw):
        status, body = emu.call("DescribeLoadBalancers", **kw)
        self.assertEqual((status, body.get("Code")), (want_status, want_code), body)
        self.assertTrue(body["RequestId"])
        self.assertIn("HostId", body)
        return body

    def test_bad_signature(self):
        def flip(p):
            p["Signature"] = "A" + p["Signature"][1:] if p["Signature"][0] != "A" else "B" + p["Signature"][1:]
        body = self.check(400, "SignatureDoesNotMatch", tamper=flip)
        self.assertIn("server string to sign is:POST&%2F&", body["Message"])

    def test_parameter_changed_after_signing(self):
        self.check(400, "SignatureDoesNotMatch", tamper=lambda p: p.update(RegionId="cn-beijing"))

    def test_wrong_secret(self):
        self.check(400, "SignatureDoesNotMatch", key=(AK, SK + "x", ""))

    def test_signed_for_get_sent_as_post(self):
        # The method is part of the StringToSign: a GET signature is not valid for POST.
        p = signed("DescribeLoadBalancers", {}, (AK, SK, ""), method="GET")
        status, _, data = emu.raw("POST", "/", form(p).encode(), FORM)
        self.assertEqual(status, 400)
        self.assertIn(b"SignatureDoesNotMatch", data)

    def test_old_and_future_timestamps(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        for delta in (-20, 20):
            with self.subTest(minutes=delta):
                self.check(400, "InvalidTimeStamp.Expired", when=now + datetime.timedelta(minutes=delta))
        status, body = emu.call("DescribeLoadBalancers", when=now - datetime.timedelta(minutes=10))
        self.assertEqual(status, 200, body)

    def test_bad_timestamp_format(self):
        p = signed("DescribeLoadBalancers", {"Timestamp": "2016-02-23 12:46:24"}, (AK, SK, ""))
        status, _, data = emu.raw("POST", "/", form(p).encode(), FORM)
        self.assertEqual(status, 400)
        self.assertIn(b"InvalidTimeStamp.Format", data)

    def test_reused_nonce(self):
        status, body = emu.call("DescribeLoadBalancers", nonce="nonce-reuse-1")
        self.assertEqual(status, 200, body)
        self.check(400, "SignatureNonceUsed", nonce="nonce-reuse-1")

    def test_unknown_access_key(self):
        self.check(404, "InvalidAccessKeyId.NotFound", key=("LTAInope", SK, ""))

    def test_version_method_format(self):
        cases = [({"Version": "2014-05-26"}, "InvalidVersion"),
                 ({"SignatureMethod": "HMAC-SHA256"}, "InvalidParameter"),
                 ({"SignatureVersion": "2.0"}, "InvalidParameter"),
                 ({"Format": "XML"}, "InvalidParameter")]
        for extra, code in cases:
            with self.subTest(extra=extra):
                p = signed("DescribeLoadBalancers", extra, (AK, SK, ""))
                status, _, data = emu.raw("POST", "/", form(p).encode(), FORM)
                self.assertEqual(status, 400)
                self.assertIn(code.encode(), data)

    def test_missing_signature_and_unknown_action(self):
        self.check(400, "IncompleteSignature", tamper=lambda p: p.pop("Signature"))
        status, body = emu.call("NoSuchAction")
        self.assertEqual((status, body["Code"]), (400, "InvalidAction.NotFound"))


class Certificates(unittest.TestCase):
    def upload(self, cert, key, name="acme-www-example-com"):
        return emu.call("UploadServerCertificate", {"ServerCertificate": cert, "PrivateKey": key,
                                                    "ServerCertificateName": name})

    def test_upload_set_delete_cycle(self):
        cert, key, der = make_cert("rsa", "rotate.example.com")
        status, body = self.upload(cert, key_pem(key))
        self.assertEqual(status, 200, body)
        cid = body["ServerCertificateId"]
        self.assertEqual(body["Fingerprint"], sha1_fingerprint(der))
        self.assertEqual(body["CommonName"], "rotate.example.com")
        self.assertEqual(body["SubjectAlternativeNames"], {"SubjectAlternativeName": ["rotate.example.com"]})
        self.assertIsInstance(body["ExpireTimeStamp"], int)
        self.assertEqual(body["IsAliCloudCertificate"], 0)
        old = listener_cert()
        status, body = emu.call("SetLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "443", "ServerCertificateId": cid})
        self.assertEqual(status, 200, body)
        self.assertEqual(set(body), {"RequestId"})
        self.assertEqual(listener_cert(), cid)
        status, body = emu.call("DeleteServerCertificate", {"ServerCertificateId": cid})
        self.assertEqual((status, body.get("Code")), (400, "CertificateAndPrivateKeyIsRefered"))
        status, body = emu.call("DeleteServerCertificate", {"ServerCertificateId": old})
        self.assertEqual(status, 200, body)
        status, body = emu.call("DescribeServerCertificates", {"ServerCertificateId": old})
        self.assertEqual(body["ServerCertificates"]["ServerCertificate"], [])

    def test_upload_rejections(self):
        cert, key, _ = make_cert("rsa")
        _, other_key, _ = make_cert("rsa")
        ec_cert, ec_key, _ = make_cert("ec")
        pkcs8 = key_pem(key, "pkcs8")
        relabelled = pkcs8.replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY").replace(
            "END PRIVATE KEY", "END RSA PRIVATE KEY")
        blank = cert.replace("\n", "\n\n", 1)
        cases = [
            ("EC certificate", ec_cert, key_pem(ec_key, "pkcs8"), "InvalidParameter"),
            ("EC cert, RSA key", ec_cert, key_pem(key), "InvalidParameter"),
            ("PKCS#8 key", cert, pkcs8, "InvalidParameter"),
            ("PKCS#8 relabelled", cert, relabelled, "InvalidParameter"),
            ("encrypted key", cert, key_pem(key, "pkcs1", b"pw"), "PrivateKeyEncryption"),
            ("mismatched key", cert, key_pem(other_key), "CertificateNotMatchPrivateKey"),
            ("blank line in cert", blank, key_pem(key), "InvalidParameter"),
            ("garbage cert", "not a pem", key_pem(key), "InvalidParameter"),
            ("empty key", cert, "", "InvalidParameter"),
        ]
        for label, c, k, code in cases:
            with self.subTest(label):
                status, body = self.upload(c, k)
                self.assertEqual((status, body.get("Code")), (400, code), body)
        status, body = self.upload(cert, key_pem(key), name="1-starts-with-digit")
        self.assertEqual((status, body.get("Code")), (400, "InvalidParameter"))

    def test_set_unknown_certificate_and_bad_bandwidth(self):
        status, body = emu.call("SetLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "443", "ServerCertificateId": "nope"})
        self.assertEqual((status, body.get("Code")), (400, "InvalidParameter"))
        status, body = emu.call("SetLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "443", "Bandwidth": "0"})
        self.assertEqual((status, body.get("Code")), (400, "InvalidParameter"))
        status, body = emu.call("SetLoadBalancerHTTPSListenerAttribute",
                                {"LoadBalancerId": LB, "ListenerPort": "443", "StickySession": "on"})
        self.assertEqual((status, body.get("Code")), (400, "InvalidParameter"))

    def test_state_never_holds_private_keys(self):
        cert, key, _ = make_cert("rsa", "secret.example.com")
        pem = key_pem(key)
        status, _ = self.upload(cert, pem, name="secret-check")
        self.assertEqual(status, 200)
        _, _, data = emu.raw("GET", "/_emulator/state")
        body = pem.splitlines()[1]
        self.assertNotIn(body.encode(), data)


class Faults(unittest.TestCase):
    def tearDown(self):
        emu.control("DELETE", "faults")

    def test_throttling_twice_then_success(self):
        emu.control("POST", "faults", {"action": "DescribeLoadBalancers", "code": "Throttling.User", "times": 2})
        got = [emu.call("DescribeLoadBalancers")[1].get("Code") for _ in range(3)]
        self.assertEqual(got, ["Throttling.User", "Throttling.User", None])
        emu.control("POST", "faults", {"code": "ServiceUnavailable"})
        status, body = emu.call("DescribeServerCertificates")
        self.assertEqual((status, body["Code"]), (503, "ServiceUnavailable"))

    def test_status503_and_slow(self):
        emu.control("POST", "faults", [{"kind": "status503"}, {"kind": "slow", "seconds": 1}])
        status, body = emu.call("DescribeLoadBalancers")
        self.assertEqual(status, 503)
        self.assertIn("503", body)
        t0 = time.monotonic()
        status, _ = emu.call("DescribeLoadBalancers")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(time.monotonic() - t0, 1.0)

    def test_fail_between_upload_and_listener_update(self):
        emu.control("POST", "faults", {"kind": "fail_after_upload"})
        set_params = {"LoadBalancerId": LB, "ListenerPort": "443", "ServerCertificateId": listener_cert()}
        status, _ = emu.call("SetLoadBalancerHTTPSListenerAttribute", set_params)
        self.assertEqual(status, 200)   # not armed before an upload
        cert, key, _ = make_cert("rsa", "crash.example.com")
        status, body = emu.call("UploadServerCertificate", {"ServerCertificate": cert, "PrivateKey": key_pem(key)})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["ServerCertificateName"], "crash.example.com")   # defaults to the CN
        set_params["ServerCertificateId"] = body["ServerCertificateId"]
        status, body = emu.call("SetLoadBalancerHTTPSListenerAttribute", set_params)
        self.assertEqual((status, body.get("Code")), (403, "Forbidden.RAM"))
        self.assertNotEqual(listener_cert(), set_params["ServerCertificateId"])
        status, _ = emu.call("SetLoadBalancerHTTPSListenerAttribute", set_params)
        self.assertEqual(status, 200)
        log = emu.control("GET", "state")["requests"]
        outcomes = [(r["action"], r["outcome"]) for r in log if r["service"] == "slb"]
        self.assertIn(("SetLoadBalancerHTTPSListenerAttribute", "Forbidden.RAM"), outcomes)
        self.assertIn(("UploadServerCertificate", "ok"), outcomes)

    def test_bad_fault_is_refused(self):
        status, _, _ = emu.raw("POST", "/_emulator/faults", b'{"kind":"explode"}')
        self.assertEqual(status, 400)


class Imds(unittest.TestCase):
    def tearDown(self):
        emu.control("POST", "imds", {"mode": "optional", "credential_ttl": 3600})

    def token(self, ttl="21600", extra=None):
        return emu.raw("PUT", "/latest/api/token", b"",
                       {"X-aliyun-ecs-metadata-token-ttl-seconds": ttl, **(extra or {})})

    def creds(self, headers=None):
        status, _, role = emu.raw("GET", "/latest/meta-data/ram/security-credentials/", headers=headers)
        self.assertEqual(status, 200)
        status, _, data = emu.raw("GET", "/latest/meta-data/ram/security-credentials/" + role.decode(),
                                  headers=headers)
        self.assertEqual(status, 200)
        return json.loads(data)

    def test_token_rules(self):
        for ttl, want in (("0", 400), ("21601", 400), ("abc", 400), ("1", 200), ("21600", 200)):
            with self.subTest(ttl=ttl):
                self.assertEqual(self.token(ttl)[0], want)
        self.assertEqual(self.token("60", {"X-Forwarded-For": "10.0.0.1"})[0], 403)
        self.assertEqual(emu.raw("PUT", "/latest/api/token", b"")[0], 400)

    def test_optional_and_required_modes(self):
        c = self.creds()
        self.assertEqual(c["Code"], "Success")
        self.assertTrue(c["AccessKeyId"].startswith("STS."))
        self.assertTrue(c["Expiration"].endswith("Z"))
        emu.control("POST", "imds", {"mode": "required"})
        status, _, _ = emu.raw("GET", "/latest/meta-data/ram/security-credentials/")
        self.assertEqual(status, 401)
        bad = {"X-aliyun-ecs-metadata-token": "forged"}
        self.assertEqual(emu.raw("GET", "/latest/meta-data/ram/security-credentials/", headers=bad)[0], 401)
        status, _, tok = self.token("60")
        self.assertEqual(status, 200)
        c = self.creds({"X-aliyun-ecs-metadata-token": tok.decode()})
        self.assertEqual(c["Code"], "Success")
        self.assertEqual(emu.raw("GET", "/latest/meta-data/ram/security-credentials/no-such-role",
                                 headers={"X-aliyun-ecs-metadata-token": tok.decode()})[0], 404)

    def test_sts_keys_sign_slb_calls_until_expiry(self):
        emu.control("POST", "imds", {"credential_ttl": 3})
        c = self.creds()
        key = (c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"])
        status, body = emu.call("DescribeLoadBalancers", key=key)
        self.assertEqual(status, 200, body)
        status, body = emu.call("DescribeLoadBalancers", key=(key[0], key[1], ""))
        self.assertEqual((status, body.get("Code")), (400, "MissingSecurityToken"))
        status, body = emu.call("DescribeLoadBalancers", key=(key[0], key[1], key[2] + "x"))
        self.assertEqual((status, body.get("Code")), (400, "InvalidSecurityToken.MismatchWithAccessKey"))
        time.sleep(3.2)
        status, body = emu.call("DescribeLoadBalancers", key=key)
        self.assertEqual((status, body.get("Code")), (400, "InvalidSecurityToken.Expired"))
        fresh = self.creds()
        self.assertNotEqual(fresh["AccessKeyId"], key[0])
        status, body = emu.call("DescribeLoadBalancers",
                                key=(fresh["AccessKeyId"], fresh["AccessKeySecret"], fresh["SecurityToken"]))
        self.assertEqual(status, 200, body)


if __name__ == "__main__":
    unittest.main(verbosity=2)
