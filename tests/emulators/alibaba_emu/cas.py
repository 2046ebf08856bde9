"""Certificate Management Service (CAS, 2020-04-07) actions the ALB/NLB deployers use (reference
alibaba-cas-alb-nlb-alidns.md §2): UploadUserCertificate, ListUserCertificateOrder, GetUserCertificateDetail,
DeleteUserCertificate. Parameters come in the query (the SDK sends an empty body, §1.1); a body is refused.
Checks what the service documents: Name required, at most 64 letters/digits/underscores and unique per account;
Cert and Key parse and match. Sha2 is the upper-case hex SHA-256 of the DER leaf (its exact meaning is
[unverified] in the reference); SerialNo is left-padded with '0' as CAS does (§2.2). The name-conflict Code is
[unverified]: "NameRepeat" here.

ListUserCertificateOrder with OrderType=UPLOAD and no Status lists only the uploads that have not expired (ISSUED
and WILLEXPIRED, §2.2); Status=EXPIRED lists the expired ones (EndDate before the emulator clock's today);
ISSUED/WILLEXPIRED split at 30 days left ([unverified] threshold); the other documented statuses list nothing for
uploads, an undocumented one is refused (InvalidParameter.Status, an emulator rule).

DeleteUserCertificate(CertId) (§2.4): CertId required and a number (MissingParameter / InvalidParameter.CertId),
an unknown id is NotFound (the code certimate treats as gone, §2.3), and a certificate an emulated ALB or NLB
listener still references ("<id>-<region>" or a bare id), or one marked "bound" through POST /_emulator/cas (a
resource outside the emulator, e.g. a CDN), is refused with 400 CertificateInUse. That code is [unverified]: the
reference found none (§2.4), so certman must not depend on it.
"""
import hashlib
import itertools
import re
import threading
import time
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .responses import RpcError

NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
STATUSES = ("PAYED", "CHECKING", "CHECKED_FAIL", "ISSUED", "WILLEXPIRED", "EXPIRED", "NOTACTIVATED", "REVOKED")
WILL_EXPIRE_SECONDS = 30 * 86400
INTERNAL = ("Cert", "_not_after")          # stored, never listed


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
    def __init__(self, region="cn-hangzhou", first_id=20000000, clock=None):
        self._lock = threading.Lock()
        self.region = region
        self.certs = {}            # CertId → dict
        self.bound = set()         # CertIds bound to a resource outside the emulator
        self._ids = itertools.count(first_id)
        self._now = clock.now if clock is not None else time.time
        self.references = set      # () → CertIds the emulated listeners reference (set by the emulator)

    def snapshot(self):
        with self._lock:
            return {"region": self.region, "bound": sorted(self.bound),
                    "certificates": [{k: v for k, v in c.items() if k != "_not_after"} for c in self.certs.values()]}

    def configure(self, obj):
        """{"region": ..., "bound": [CertId, ...], "certificates": [{"Name", "Cert"}, ...]}: the last seeds uploads
        (made by someone else, e.g. a Terraform bootstrap) without the checks of UploadUserCertificate."""
        with self._lock:
            self.region = obj.get("region", self.region)
            self.bound = set(int(i) for i in obj.get("bound", self.bound))
            for c in obj.get("certificates", []):
                self._store(c["Name"], c["Cert"], _pem_chain(c["Cert"])[0])

    def exists(self, cert_id):
        with self._lock:
            return cert_id in self.certs

    def handle(self, action, params):
        handler = {"UploadUserCertificate": self._upload, "ListUserCertificateOrder": self._list,
                   "GetUserCertificateDetail": self._detail, "DeleteUserCertificate": self._delete}.get(action)
        if handler is None:
            raise RpcError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        referenced = self.references() if action == "DeleteUserCertificate" else set()   # outside our lock
        with self._lock:
            return self._delete(params, referenced) if action == "DeleteUserCertificate" else handler(params)

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
        cert_id = self._store(name, params["Cert"], chain[0])
        return {"CertId": cert_id, "ResourceId": "cas-upload-%d" % cert_id}

    def _store(self, name, cert_pem, leaf):
        der = leaf.public_bytes(serialization.Encoding.DER)
        cert_id = next(self._ids)
        self.certs[cert_id] = {
            "CertificateId": cert_id, "Name": name, "Sha2": hashlib.sha256(der).hexdigest().upper(),
            "Fingerprint": hashlib.sha1(der).hexdigest().upper(), "SerialNo": "%040x" % leaf.serial_number,
            "CommonName": next((a.value for a in leaf.subject if a.oid == x509.NameOID.COMMON_NAME), ""),
            "StartDate": leaf.not_valid_before_utc.strftime("%Y-%m-%d"),
            "EndDate": leaf.not_valid_after_utc.strftime("%Y-%m-%d"), "Upload": True, "Cert": cert_pem,
            "_not_after": leaf.not_valid_after_utc.timestamp(),
        }
        return cert_id

    def _status(self, c):
        left = c["_not_after"] - self._now()
        return "EXPIRED" if left < 0 else "WILLEXPIRED" if left <= WILL_EXPIRE_SECONDS else "ISSUED"

    def _list(self, params):
        if params.get("OrderType", "CPACK") != "UPLOAD":
            return {"CertificateOrderList": [], "TotalCount": 0, "CurrentPage": 1, "ShowSize": 50}
        page, size = int(params.get("CurrentPage", 1)), int(params.get("ShowSize", 50))
        if page < 1 or not 1 <= size <= 100:
            raise RpcError(400, "InvalidParameter", "The specified parameter CurrentPage or ShowSize is not valid.")
        status = params.get("Status", "")
        if status and status not in STATUSES:
            raise RpcError(400, "InvalidParameter.Status", "The specified parameter Status is not valid.")
        wanted = (status,) if status else ("ISSUED", "WILLEXPIRED")
        rows = [dict({k: v for k, v in c.items() if k not in INTERNAL}, Expired=self._status(c) == "EXPIRED")
                for c in self.certs.values() if self._status(c) in wanted]
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

    def _delete(self, params, referenced):
        if not params.get("CertId"):
            raise _missing("CertId")
        try:
            cert_id = int(params["CertId"])
        except ValueError:
            raise RpcError(400, "InvalidParameter.CertId", "The specified parameter CertId is not valid.")
        if cert_id not in self.certs:
            raise RpcError(400, "NotFound", "The certificate does not exist.")
        if cert_id in referenced or cert_id in self.bound:
            raise RpcError(400, "CertificateInUse", "The certificate is bound to a cloud resource and cannot be deleted.")
        del self.certs[cert_id]
        return {}
