"""RPC-style OpenAPI request authentication, SignatureVersion 1.0 (reference §1.1, §1.2, §7 items 1-2).

Parameters come from the URL query and the form body together; the StringToSign is rebuilt the way the SDKs
build it and compared in constant time. Checks run in the order a gateway would plausibly run them: shape,
method/version, timestamp, key, signature, STS token, nonce. Each failure raises RpcError.
"""
import base64
import hashlib
import hmac
import urllib.parse

from .gateway_checks import GatewayChecks
from .responses import RpcError

REQUIRED = ("AccessKeyId", "Action", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version")


def enc(s):
    """RFC 3986 percent-encoding: keep A-Za-z0-9-_.~, uppercase hex, space as %20."""
    return urllib.parse.quote(s, safe="-_.~")


def string_to_sign(method, params):
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    cq = "&".join(enc(k) + "=" + enc(v) for k, v in pairs)
    return method + "&" + enc("/") + "&" + enc(cq)


def signature(method, params, secret):
    mac = hmac.new((secret + "&").encode(), string_to_sign(method, params).encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def merge_params(query, body, content_type):
    """Query params, then form body params (the body wins on a clash, as in the Python SDK)."""
    params = {}
    for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
        params[k] = v
    if body and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        for k, v in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            params[k] = v
    return params


class RpcAuth(GatewayChecks):
    def __init__(self, clock, keys, version="2014-05-15"):
        super().__init__(clock, keys, version)

    def check(self, method, params):
        """Returns the AccessKeyId that signed the request, or raises RpcError."""
        if "Signature" not in params:
            raise RpcError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        for name in REQUIRED:
            if name not in params:
                raise RpcError(400, "MissingParameter", "The input parameter \"%s\" that is mandatory for processing "
                               "this request is not supplied." % name)
        if params["SignatureMethod"] != "HMAC-SHA1":
            raise RpcError(400, "InvalidParameter", "The specified parameter SignatureMethod is not valid.")
        if params["SignatureVersion"] != "1.0":
            raise RpcError(400, "InvalidParameter", "The specified parameter SignatureVersion is not valid.")
        if params["Version"] != self._version:
            raise RpcError(400, "InvalidVersion", "Specified parameter Version is not valid.")
        if params.get("Format", "XML") != "JSON":
            raise RpcError(400, "InvalidParameter", "The emulator answers Format=JSON only.")
        self._check_time(params["Timestamp"])
        found = self._keys.lookup(params["AccessKeyId"])
        if found is None:
            raise RpcError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        secret, sts = found
        expected = signature(method, params, secret)
        if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
            raise RpcError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                           "server string to sign is:" + string_to_sign(method, params))
        if sts is not None:
            self._check_sts(sts, params.get("SecurityToken"))
        self._use_nonce(params["AccessKeyId"], params["SignatureNonce"])
        return params["AccessKeyId"]
