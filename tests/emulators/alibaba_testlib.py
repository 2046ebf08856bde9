"""Helpers for the Alibaba emulator integration tests: start/stop the emulator, an independent RPC V1 signer
(written from the reference §1.1, deliberately not sharing code with the emulator) and test certificates."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

SOURCE = os.environ.get("CERTMAN_SOURCE", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EMULATOR = os.path.join(SOURCE, "tests", "emulators", "alibaba_emulator.py")
FIXTURE = os.path.join(SOURCE, "tests", "emulators", "fixtures", "slb_state.json")
AK, SK = "LTAI5tEmulatorKey0001", "emulator-secret-0001"
LB = "lb-emu0000000000000001"
BOOTSTRAP = "1231579085529123_18cc6d1f000_1234567890_123456789"


class Emulator:
    def __init__(self, *extra):
        self.proc = subprocess.Popen([sys.executable, EMULATOR, "--port", "0", "--state", FIXTURE, *extra],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening 127.0.0.1:"):
            self.stop()
            raise RuntimeError("emulator did not start: %r" % line)
        self.base = "http://" + line.split(" ", 1)[1]

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, 15)
            self.proc.wait(timeout=10)

    def raw(self, method, path, body=None, headers=None):
        """(status, headers, body bytes) of any request; never raises on HTTP errors."""
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def control(self, method, path, obj=None):
        body = None if obj is None else json.dumps(obj).encode()
        status, _, data = self.raw(method, "/_emulator/" + path, body, {"Content-Type": "application/json"})
        assert status == 200, (status, data)
        return json.loads(data)

    def call(self, action, params=None, *, key=(AK, SK, ""), method="POST", when=None, nonce=None,
             tamper=None, split=False):
        """Signs and sends one SLB RPC call; returns (status, parsed JSON or raw text)."""
        p = signed(action, params or {}, key, method, when, nonce, tamper)
        if method == "GET":
            status, hdrs, data = self.raw("GET", "/?" + form(p))
        elif split:   # Signature in the URL, everything else in the body (acme.sh dns_ali style)
            sig = p.pop("Signature")
            status, hdrs, data = self.raw("POST", "/?Signature=" + enc(sig), form(p).encode(),
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        else:
            status, hdrs, data = self.raw("POST", "/", form(p).encode(),
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        if hdrs.get("Content-Type", "").startswith("application/json"):
            return status, json.loads(data)
        return status, data.decode()


def enc(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        out.append(c if c.isascii() and (c.isalnum() or c in "-_.~") else "%%%02X" % b)
    return "".join(out)


def form(params):
    return "&".join(enc(k) + "=" + enc(v) for k, v in params.items())


def signed(action, params, key, method="POST", when=None, nonce=None, tamper=None):
    when = when or datetime.datetime.now(datetime.timezone.utc)
    p = {"Action": action, "RegionId": "cn-hangzhou", "Format": "JSON", "Version": "2014-05-15",
         "AccessKeyId": key[0], "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
         "SignatureNonce": nonce or str(uuid.uuid4()), "Timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if key[2]:
        p["SecurityToken"] = key[2]
    p.update(params)
    cq = "&".join(enc(k) + "=" + enc(p[k]) for k in sorted(p))
    sts = method + "&%2F&" + enc(cq)
    p["Signature"] = base64.b64encode(hmac.new((key[1] + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()
    if tamper:
        tamper(p)
    return p


def make_cert(kind="rsa", cn="www.example.com", valid_days=(0, 90)):
    """(leaf PEM, key object, DER) for a self-signed certificate valid from now + valid_days[0] days to now +
    valid_days[1] days (negative: in the past)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa" else \
        ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now + datetime.timedelta(days=valid_days[0]))
            .not_valid_after(now + datetime.timedelta(days=valid_days[1]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key, cert.public_bytes(serialization.Encoding.DER)


def key_pem(key, fmt="pkcs1", password=None):
    f = serialization.PrivateFormat.TraditionalOpenSSL if fmt == "pkcs1" else serialization.PrivateFormat.PKCS8
    alg = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, f, alg).decode()


def sha1_fingerprint(der):
    return ":".join("%02x" % b for b in hashlib.sha1(der).digest())


def oss_sign(method, bucket, key, query, headers, key_triple=(AK, SK, ""), when=None, region="cn-hangzhou",
             additional=(), payload="UNSIGNED-PAYLOAD"):
    """OSS V4 (reference §4.3), independent of the emulator: returns headers with x-oss-date, content hash,
    security token and Authorization added. query: list of (name, value) raw pairs."""
    when = when or datetime.datetime.now(datetime.timezone.utc)
    dt = when.strftime("%Y%m%dT%H%M%SZ")
    h = dict(headers, **{"x-oss-date": dt, "x-oss-content-sha256": payload})
    if key_triple[2]:
        h["x-oss-security-token"] = key_triple[2]
    lower = {k.lower(): v.strip() for k, v in h.items()}
    extra = sorted({a.lower() for a in additional if a.lower() in lower and not a.lower().startswith("x-oss-")
                    and a.lower() not in ("content-type", "content-md5")})
    uri = "/" + enc(bucket) + "/" + "/".join(enc(part) for part in key.split("/"))
    cq = "&".join(k + ("=" + v if v else "") for k, v in sorted((enc(k), enc(v)) for k, v in query))
    ch = "".join("%s:%s\n" % (k, lower[k]) for k in sorted(lower)
                 if k.startswith("x-oss-") or k in ("content-type", "content-md5") or k in extra)
    canonical = "\n".join([method, uri, cq, ch, ";".join(extra), payload])
    scope = "%s/%s/oss/aliyun_v4_request" % (dt[:8], region)
    sts = "OSS4-HMAC-SHA256\n%s\n%s\n%s" % (dt, scope, hashlib.sha256(canonical.encode()).hexdigest())
    k = ("aliyun_v4" + key_triple[1]).encode()
    for part in (dt[:8], region, "oss", "aliyun_v4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    h["Authorization"] = "OSS4-HMAC-SHA256 Credential=%s/%s,%sSignature=%s" % (
        key_triple[0], scope, ("AdditionalHeaders=%s," % ";".join(extra)) if extra else "", sig)
    return h
