"""OpenAPI signature V3 (ACS3-HMAC-SHA256) request authentication, as the Alidns gateway checks it (reference
alibaba-cas-alb-nlb-alidns.md §1.3). The canonical request is rebuilt from what arrived: the URL query decoded
and re-encoded strictly (RFC 3986), the headers the client lists in SignedHeaders with their received values,
and the SHA-256 of the received body; the signature is compared in constant time. Checks: Authorization shape,
required signed headers, version, x-acs-date format and skew, access key, signature, STS token, nonce replay.
Each failure raises RpcError. The error codes for V3 failures are the ones the RPC gateway documents for V1
(IncompleteSignature, SignatureDoesNotMatch, InvalidTimeStamp.*, SignatureNonceUsed, ...); that the V3 path
answers the same codes is [unverified] in the reference.
"""
import hashlib
import hmac
import urllib.parse

from .gateway_checks import GatewayChecks
from .responses import RpcError

ALGORITHM = "ACS3-HMAC-SHA256"
MUST_SIGN = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce")


def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def canonical_query(query):
    pairs = sorted((enc(k), enc(v)) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True))
    return "&".join(k + "=" + v for k, v in pairs)


def canonical_request(method, query, headers, signed, body):
    lines = "".join("%s:%s\n" % (n, headers.get(n, "").strip()) for n in signed)
    return "\n".join([method, "/", canonical_query(query), lines, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def string_to_sign(canonical):
    return ALGORITHM + "\n" + hashlib.sha256(canonical.encode()).hexdigest()


def parse_authorization(value):
    """{"Credential", "SignedHeaders", "Signature"} from the Authorization header, or None."""
    if not value.startswith(ALGORITHM + " "):
        return None
    fields = {}
    for part in value[len(ALGORITHM) + 1:].split(","):
        name, sep, v = part.strip().partition("=")
        if not sep:
            return None
        fields[name] = v
    if not all(fields.get(k) for k in ("Credential", "SignedHeaders", "Signature")):
        return None
    return fields


class Acs3Auth(GatewayChecks):
    def __init__(self, clock, keys, version="2015-01-09"):
        super().__init__(clock, keys, version)

    def check(self, method, query, headers, body):
        """headers: lowercase name → value. Returns the AccessKeyId, or raises RpcError."""
        auth = parse_authorization(headers.get("authorization", ""))
        if auth is None:
            raise RpcError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        signed = auth["SignedHeaders"].split(";")
        if signed != sorted(set(signed)) or any(n not in signed for n in MUST_SIGN):
            raise RpcError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        if headers.get("x-acs-version") != self._version:
            raise RpcError(400, "InvalidVersion", "Specified parameter Version is not valid.")
        self._check_time(headers.get("x-acs-date", ""))
        found = self._keys.lookup(auth["Credential"])
        if found is None:
            raise RpcError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        secret, sts = found
        sts_string = string_to_sign(canonical_request(method, query, headers, signed, body))
        expected = hmac.new(secret.encode(), sts_string.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), auth["Signature"].encode()):
            raise RpcError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                           "server string to sign is:" + sts_string)
        if sts is not None:
            self._check_sts(sts, headers.get("x-acs-security-token", "") if "x-acs-security-token" in signed else "")
        self._use_nonce(auth["Credential"], headers["x-acs-signature-nonce"])
        return auth["Credential"]
