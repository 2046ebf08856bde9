"""UploadServerCertificate input checks and certificate facts (reference §2 "Format requirements", §7 item 4).

CLB takes RSA certificates only, with an unencrypted PKCS#1 key (BEGIN RSA PRIVATE KEY) that matches the
leaf, PEM without blank lines. A PKCS#8 body relabelled as RSA PRIVATE KEY is refused: the DER is checked to be
an RSAPrivateKey (SEQUENCE { INTEGER version, INTEGER n, ... }), not a PrivateKeyInfo.
"""
import base64
import hashlib
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from .responses import RpcError

RSA_BEGIN = "-----BEGIN RSA PRIVATE KEY-----"
RSA_END = "-----END RSA PRIVATE KEY-----"
NAME_RE = re.compile(r"^[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._-]{0,79}$")


def _cert_error():
    return RpcError(400, "InvalidParameter", "The specified parameter ServerCertificate format is error.")


def _key_error():
    return RpcError(400, "InvalidParameter", "The specified parameter key format is error.")


def _has_blank_line(pem):
    return any(not line.strip() for line in pem.strip("\n").split("\n"))


def _is_pkcs1_der(der):
    """True when der is SEQUENCE { INTEGER, INTEGER, ... } (RSAPrivateKey), not PrivateKeyInfo."""
    if len(der) < 4 or der[0] != 0x30:
        return False
    i = 2 + (der[1] & 0x7F if der[1] & 0x80 else 0)     # skip the outer SEQUENCE header
    if i + 2 > len(der) or der[i] != 0x02:
        return False
    i += 2 + der[i + 1]                                   # the version INTEGER is short
    return i < len(der) and der[i] == 0x02


def parse_chain(pem):
    if not pem or not pem.strip():
        raise RpcError(400, "InvalidParameter", "The specified parameter ServerCertificate or Key is empty.")
    if _has_blank_line(pem):
        raise _cert_error()
    try:
        chain = x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        raise _cert_error()
    if not isinstance(chain[0].public_key(), rsa.RSAPublicKey):
        raise RpcError(400, "InvalidParameter", "The specified parameter ServerCertificate format is error: "
                       "only RSA certificates are supported.")
    return chain


def parse_key(pem):
    if not pem or not pem.strip():
        raise RpcError(400, "InvalidParameter", "The specified parameter ServerCertificate or Key is empty.")
    text = pem.strip()
    if "ENCRYPTED" in text:
        raise RpcError(400, "PrivateKeyEncryption", "Key has Encrypted.")
    if not text.startswith(RSA_BEGIN) or not text.endswith(RSA_END) or _has_blank_line(pem):
        raise _key_error()
    body = text[len(RSA_BEGIN):-len(RSA_END)]
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except ValueError:
        raise _key_error()
    if not _is_pkcs1_der(der):
        raise _key_error()
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError):
        raise _key_error()
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _key_error()
    return key


def check_pair(chain, key):
    if chain[0].public_key().public_numbers() != key.public_key().public_numbers():
        raise RpcError(400, "CertificateNotMatchPrivateKey", "The certificate and private key do not match.")


def check_name(name):
    if not NAME_RE.match(name):
        raise RpcError(400, "InvalidParameter", "The specified parameter ServerCertificateName is not valid.")


def facts(cert):
    """Fingerprint (lowercase colon SHA-1 of the leaf DER), CommonName, SANs, expiry in epoch seconds."""
    der = cert.public_bytes(serialization.Encoding.DER)
    fp = ":".join("%02x" % b for b in hashlib.sha1(der).digest())
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
    except x509.ExtensionNotFound:
        sans = []
    return {"Fingerprint": fp, "CommonName": cns[0].value if cns else "", "SubjectAlternativeNames": list(sans),
            "expires": int(cert.not_valid_after_utc.timestamp())}
