#!/usr/bin/env python3
"""The emulator's RPC V1 verifier reproduces the published vectors of reference §1.4 (the same ones the C++
signer's unit tests pin), so the daemon and the emulator agree byte for byte, not merely with each other."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulators"))
from alibaba_emu.rpc_auth import signature, string_to_sign  # noqa: E402

A = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
     "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
     "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
C = {"AccessKeyId": "accessKeyId", "Action": "", "Format": "JSON", "RegionId": "regionId",
     "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "MOCK_UUID", "SignatureType": "", "SignatureVersion": "1.0",
     "Timestamp": "mock date", "Version": ""}
E = dict(A, Action="DescribeServerCertificates", Format="JSON", RegionId="cn-hangzhou", Version="2014-05-15")


def without(d, k):
    return {n: v for n, v in d.items() if n != k}


class Vectors(unittest.TestCase):
    def test_published_vectors(self):
        b = dict(without(A, "Timestamp"), TimeStamp=A["Timestamp"])
        e_post = dict(E, Action="UploadServerCertificate", SecurityToken="tok/en+1=",
                      ServerCertificateName="my cert*~\u00e9",
                      ServerCertificate="-----BEGIN CERTIFICATE-----\nAB+/=\n-----END CERTIFICATE-----")
        sts = dict(C, SecurityToken="accessKeyStsToken")
        rows = [("A", "GET", A, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
                ("B", "GET", b, "testsecret", "CT9X0VtwR86fNWSnsc6v8YGOjuE="),
                ("C", "GET", C, "accessKeySecret", "7loPmFjvDnzOVnQeQNj85S6nFGY="),
                ("C sts", "GET", sts, "accessKeySecret", "5Nxdcler+ihqWqv0Hr2On4PsBf4="),
                ("C post", "POST", C, "accessKeySecret", "4CIK2DFr6jyKrv8SD31/SyTKEa4="),
                ("C post sts", "POST", sts, "accessKeySecret", "CTPJv7GCZobJvYYttHLDwgzRd18="),
                ("E get", "GET", E, "testsecret", "Z97yvuDsF6Jf2U3989WPnh6D6Dc="),
                ("E post", "POST", e_post, "testsecret", "Bvjvf/NHZjtVf3mS3lNvjm9POyw=")]
        for name, method, params, secret, want in rows:
            with self.subTest(name):
                self.assertEqual(signature(method, params, secret), want)
                self.assertEqual(signature(method, dict(params, Signature="x"), secret), want)

    def test_string_to_sign_a(self):
        self.assertEqual(string_to_sign("GET", A),
                         "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod"
                         "%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion"
                         "%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")


if __name__ == "__main__":
    unittest.main(verbosity=2)
