"""Certificate Management Service (CAS, 2020-04-07) actions the ALB/NLB deployers use (reference
alibaba-cas-alb-nlb-alidns.md §2): UploadUserCertificate, ListUserCertificateOrder, GetUserCertificateDetail.
Parameters come in the query (the SDK sends an empty body, §1.1); a body is refused. Checks what the service
documents: Name required, at most 64 letters/digits/underscores and unique per account; Cert and Key parse and
match. Sha2 is the upper-case hex SHA-256 of the DER leaf (its exact meaning is [unverified] in the reference);
SerialNo is left-padded with '0' as CAS does (§2.2). The name-conflict Code is [unverified]: "NameRepeat" here.
"""
import hashlib
import itertools
import re
import threading

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .responses import RpcError

NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def _missing(name):
    return RpcError(400, "MissingParameter", "The input parameter \"%s\" is not supplied." % name)


def _pem_chain(pem):
    try:
        certs = x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        certs = []
    if not certs:
        raise RpcError(400, "InvalidParameter.Cert", "createUserCertificate certificate format error")
    return certs


class Cas:
    def __init__(self, region="cn-hangzhou", first_id=20000000):
        self._lock = threading.Lock()
        self.region = region
        self.certs = {}            # CertId → dict
        self._ids = itertools.count(first_id)

    def snapshot(self):
        with self._lock:
            return {"region": self.region, "certificates": [dict(c) for c in self.certs.values()]}

    def configure(self, obj):
        with self._lock:
            self.region = obj.get("region", self.region)

    def exists(self, cert_id):
        with self._lock:
            return cert_id in self.certs

    def handle(self, action, params):
        handler = {"UploadUserCertificate": self._upload, "ListUserCertificateOrder": self._list,
                   "GetUserCertificateDetail": self._detail}.get(action)
        if handler is None:
            raise RpcError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        with self._lock:
            return handler(params)

    def _upload(self, params):
        for name in ("Name", "Cert", "Key"):
            if not params.get(name):
                raise _missing(name)
        name = params["Name"]
        if not NAME_RE.match(name):
            raise RpcError(400, "InvalidParameter.Name", "The certificate name is invalid.")
        if any(c["Name"] == name for c in self.certs.values()):
            raise RpcError(400, "NameRepeat", "The certificate name already exists.")
        chain = _pem_chain(params["Cert"])
        try:
            key = serialization.load_pem_private_key(params["Key"].encode(), password=None)
        except (ValueError, TypeError):
            raise RpcError(400, "InvalidParameter.Key", "createUserCertificate key format error")
        pub = lambda k: k.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if pub(key.public_key()) != pub(chain[0].public_key()):
            raise RpcError(400, "InvalidParameter.KeyNotMatch", "The certificate and private key do not match.")
        leaf = chain[0]
        der = leaf.public_bytes(serialization.Encoding.DER)
        cert_id = next(self._ids)
        self.certs[cert_id] = {
            "CertificateId": cert_id, "Name": name, "Sha2": hashlib.sha256(der).hexdigest().upper(),
            "Fingerprint": hashlib.sha1(der).hexdigest().upper(), "SerialNo": "%040x" % leaf.serial_number,
            "CommonName": next((a.value for a in leaf.subject if a.oid == x509.NameOID.COMMON_NAME), ""),
            "EndDate": leaf.not_valid_after_utc.strftime("%Y-%m-%d"), "Upload": True, "Cert": params["Cert"],
        }
        return {"CertId": cert_id, "ResourceId": "cas-upload-%d" % cert_id}

    def _list(self, params):
        if params.get("OrderType", "CPACK") != "UPLOAD":
            return {"CertificateOrderList": [], "TotalCount": 0, "CurrentPage": 1, "ShowSize": 50}
        page, size = int(params.get("CurrentPage", 1)), int(params.get("ShowSize", 50))
        if page < 1 or not 1 <= size <= 100:
            raise RpcError(400, "InvalidParameter", "The specified parameter CurrentPage or ShowSize is not valid.")
        rows = [{k: v for k, v in c.items() if k != "Cert"} for c in self.certs.values()]
        return {"CertificateOrderList": rows[(page - 1) * size:page * size], "TotalCount": len(rows),
                "CurrentPage": page, "ShowSize": size}

    def _detail(self, params):
        if not params.get("CertId"):
            raise _missing("CertId")
        try:
            c = self.certs[int(params["CertId"])]
        except (ValueError, KeyError):
            raise RpcError(400, "NotFound", "The certificate does not exist.")
        out = {"Id": c["CertificateId"], "Name": c["Name"], "Sha2": c["Sha2"], "Fingerprint": c["Fingerprint"],
               "SerialNo": c["SerialNo"], "Common": c["CommonName"], "EndDate": c["EndDate"],
               "CertIdentifier": "%d-%s" % (c["CertificateId"], self.region)}
        if params.get("CertFilter") != "true":
            out["Cert"] = c["Cert"]
        return out
