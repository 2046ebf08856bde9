#!/usr/bin/env python3
"""The emulator's OSS part (reference §4): V4 verification (the published vectors, then live requests signed by
an independent signer), create-if-absent with x-oss-forbid-overwrite, conditional requests, listing, faults."""
import datetime
import hashlib
import json
import os
import sys
import threading
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulators"))
from alibaba_testlib import Emulator, enc, oss_sign  # noqa: E402
from alibaba_emu import oss_auth  # noqa: E402

BUCKET = "certman-store"
emu = None


def setUpModule():
    global emu
    emu = Emulator()


def tearDownModule():
    emu.stop()


def oss(method, key, body=b"", query=(), headers=None, virtual=False, **kw):
    headers = dict(headers or {})
    if method == "PUT":   # urllib would add a form Content-Type of its own, after signing
        headers.setdefault("Content-Type", "application/octet-stream")
    h = oss_sign(method, BUCKET, key, list(query), headers, **kw)
    path = "/" + "/".join(enc(p) for p in key.split("/"))
    if not virtual:
        path = "/" + BUCKET + path
    if virtual:
        h["Host"] = BUCKET + ".oss-cn-hangzhou.aliyuncs.com"
    if query:
        path += "?" + "&".join(enc(k) + ("=" + enc(v) if v else "") for k, v in query)
    return emu.raw(method, path, body if method in ("PUT", "POST") else None, h)


def code(data):
    return ET.fromstring(data).findtext("Code")


class Vectors(unittest.TestCase):
    def test_sdk_vector_through_emulator_and_test_signer(self):
        headers = {"x-oss-head1": "value", "abc": "value", "zabc": "value", "xyz": "value",
                   "content-type": "text/plain", "x-oss-content-sha256": "UNSIGNED-PAYLOAD"}
        query = [("param1", "value1"), ("+param1", "value3"), ("|param1", "value4"), ("+param2", ""),
                 ("|param2", ""), ("param2", "")]
        rows = [(1702743657, "", [], "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe"),
                (1702784856, "token", [], "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea"),
                (1702747512, "", ["abc", "zabc"], "4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f")]
        for t, token, extra, want in rows:
            with self.subTest(t=t):
                dt = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
                h = dict(headers, **{"x-oss-date": dt.strftime("%Y%m%dT%H%M%SZ")})
                if token:
                    h["x-oss-security-token"] = token
                cr = oss_auth.canonical_request("PUT", "bucket", "1234+-/123/1.txt", query, h, extra)
                sts = oss_auth.string_to_sign(cr, h["x-oss-date"], "cn-hangzhou")
                self.assertEqual(oss_auth.signature("sk", h["x-oss-date"], "cn-hangzhou", sts), want)
                signed = oss_sign("PUT", "bucket", "1234+-/123/1.txt", query,
                                  {k: v for k, v in headers.items() if k != "x-oss-content-sha256"},
                                  ("ak", "sk", token), dt, additional=["ZAbc", "abc", "x-oss-head1"] if extra else [])
                tail = (",AdditionalHeaders=abc;zabc" if extra else "") + ",Signature=" + want
                self.assertTrue(signed["Authorization"].endswith(tail), signed["Authorization"])
        cr = oss_auth.canonical_request("PUT", "bucket", "1234+-/123/1.txt", query,
                                        dict(headers, **{"x-oss-date": "20231216T162057Z"}), [])
        self.assertEqual(hashlib.sha256(cr.encode()).hexdigest(),
                         "f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4")


class Objects(unittest.TestCase):
    def test_put_get_head_delete(self):
        status, hdrs, _ = oss("PUT", "certs/www example.com/cert.pem", b"hello", headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 200)
        etag = '"%s"' % hashlib.md5(b"hello").hexdigest().upper()
        self.assertEqual(hdrs["ETag"], etag)
        status, hdrs, data = oss("GET", "certs/www example.com/cert.pem")
        self.assertEqual((status, data, hdrs["ETag"]), (200, b"hello", etag))
        status, _, data = oss("HEAD", "certs/www example.com/cert.pem", virtual=True)
        self.assertEqual((status, data), (200, b""))
        self.assertEqual(oss("GET", "certs/www example.com/cert.pem", headers={"If-None-Match": etag})[0], 304)
        self.assertEqual(oss("GET", "certs/www example.com/cert.pem", headers={"If-Match": '"0"'})[0], 412)
        self.assertEqual(oss("DELETE", "certs/www example.com/cert.pem")[0], 204)
        self.assertEqual(oss("DELETE", "certs/www example.com/cert.pem")[0], 204)
        status, _, data = oss("GET", "certs/www example.com/cert.pem")
        self.assertEqual((status, code(data)), (404, "NoSuchKey"))
        self.assertEqual(oss("HEAD", "certs/www example.com/cert.pem")[0], 404)

    def test_forbid_overwrite_is_atomic(self):
        results = []

        def put(i):
            results.append(oss("PUT", "locks/lease", b"owner-%d" % i, headers={"x-oss-forbid-overwrite": "true"}))
        threads = [threading.Thread(target=put, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r[0] for r in results)
        self.assertEqual(statuses, [200] + [409] * 7)
        self.assertEqual({code(r[2]) for r in results if r[0] == 409}, {"FileAlreadyExists"})
        self.assertEqual(oss("PUT", "locks/lease", b"x")[0], 200)   # without the header it overwrites

    def test_conditional_put_not_implemented(self):
        status, _, data = oss("PUT", "c", b"x", headers={"If-None-Match": "*"})
        self.assertEqual((status, code(data)), (400, "NotImplemented"))

    def test_list_objects_v2(self):
        for k in ("list/a.pem", "list/b/1", "list/b/2", "list/c.pem"):
            self.assertEqual(oss("PUT", k, b"1")[0], 200)
        status, _, data = oss("GET", "", query=[("list-type", "2"), ("prefix", "list/"), ("delimiter", "/")])
        self.assertEqual(status, 200, data)
        root = ET.fromstring(data)
        self.assertEqual([e.text for e in root.iter("Key")], ["list/a.pem", "list/c.pem"])
        self.assertEqual([e.text for e in root.iter("Prefix")][1:], ["list/b/"])
        self.assertEqual(root.findtext("IsTruncated"), "false")
        keys, token = [], None
        while True:
            q = [("list-type", "2"), ("prefix", "list/"), ("max-keys", "3")]
            if token:
                q.append(("continuation-token", token))
            root = ET.fromstring(oss("GET", "", query=q)[2])
            keys += [e.text for e in root.iter("Key")]
            if root.findtext("IsTruncated") != "true":
                break
            token = root.findtext("NextContinuationToken")
        self.assertEqual(keys, ["list/a.pem", "list/b/1", "list/b/2", "list/c.pem"])


class Rejections(unittest.TestCase):
    def test_bad_signature_skew_unknown_key_and_v1(self):
        h = oss_sign("GET", BUCKET, "x", [], {})
        h["Authorization"] = h["Authorization"][:-1] + ("0" if h["Authorization"][-1] != "0" else "1")
        status, _, data = emu.raw("GET", "/%s/x" % BUCKET, None, h)
        self.assertEqual((status, code(data)), (403, "SignatureDoesNotMatch"))
        self.assertIsNotNone(ET.fromstring(data).findtext("StringToSign"))
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        status, _, data = oss("GET", "x", when=old)
        self.assertEqual((status, code(data)), (403, "RequestTimeTooSkewed"))
        status, _, data = oss("GET", "x", key_triple=("nope", "sk", ""))
        self.assertEqual((status, code(data)), (403, "InvalidAccessKeyId"))
        status, _, data = emu.raw("GET", "/%s/x" % BUCKET, None, {"Authorization": "OSS a:b", "Date": "x"})
        self.assertEqual((status, code(data)), (403, "AccessDenied"))
        status, _, data = oss("PUT", "x", b"abc", payload=hashlib.sha256(b"abd").hexdigest())
        self.assertEqual((status, code(data)), (400, "InvalidArgument"))
        status, _, _ = oss("PUT", "x", b"abc", payload=hashlib.sha256(b"abc").hexdigest())
        self.assertEqual(status, 200)

    def test_sts_keys_from_imds(self):
        role = emu.raw("GET", "/latest/meta-data/ram/security-credentials/")[2].decode()
        c = json.loads(emu.raw("GET", "/latest/meta-data/ram/security-credentials/" + role)[2])
        triple = (c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"])
        self.assertEqual(oss("PUT", "sts/obj", b"1", key_triple=triple)[0], 200)
        status, _, data = oss("PUT", "sts/obj", b"1", key_triple=(triple[0], triple[1], "wrong"))
        self.assertEqual((status, code(data)), (403, "InvalidAccessKeyId"))

    def test_faults(self):
        emu.control("POST", "faults", [{"target": "oss", "action": "PutObject", "code": "InternalError"},
                                       {"target": "oss", "kind": "status503"}])
        try:
            status, _, data = oss("PUT", "f", b"1")
            self.assertEqual((status, code(data)), (500, "InternalError"))
            self.assertEqual(oss("GET", "f")[0], 503)
            self.assertEqual(oss("PUT", "f", b"1")[0], 200)
        finally:
            emu.control("DELETE", "faults")
        state = emu.control("GET", "state")
        self.assertIn({"key": "f", "size": 1, "etag": '"%s"' % hashlib.md5(b"1").hexdigest().upper()},
                      state["oss"][BUCKET])


if __name__ == "__main__":
    unittest.main(verbosity=2)
