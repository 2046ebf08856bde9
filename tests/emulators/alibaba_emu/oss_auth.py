"""OSS Signature V4 (OSS4-HMAC-SHA256) verification, reference §4.3. The canonical request is rebuilt from the
request as received (decoded query and path re-encoded RFC 3986 style) and the signature compared in constant
time. V1 ("OSS ak:sig") is answered with AccessDenied: certman signs V4 only."""
import hashlib
import hmac
import re
import urllib.parse
from datetime import datetime, timezone

from .rpc_auth import enc

AUTH_RE = re.compile(r"^OSS4-HMAC-SHA256 Credential=([^/,]+)/(\d{8})/([^/,]+)/oss/aliyun_v4_request"
                     r"(?:, ?AdditionalHeaders=([^,]*))?, ?Signature=([0-9a-f]{64})$")
SKEW_SECONDS = 15 * 60


class OssError(Exception):
    def __init__(self, status, code, message, **extra):
        super().__init__(code)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def canonical_request(method, bucket, key, query_pairs, headers, additional):
    """headers: dict of lowercase name → value. additional: the sorted lowercase AdditionalHeaders list."""
    uri = enc("/" + bucket + "/" + key).replace("%2F", "/") if bucket else "/"
    q = sorted((enc(k), enc(v)) for k, v in query_pairs)
    cq = "&".join(k + ("=" + v if v else "") for k, v in q)
    signed = sorted((k, v.strip()) for k, v in headers.items()
                    if k in ("content-type", "content-md5") or k.startswith("x-oss-") or k in additional)
    ch = "".join(k + ":" + v + "\n" for k, v in signed)
    payload = headers.get("x-oss-content-sha256", "UNSIGNED-PAYLOAD").strip()
    return "\n".join([method, uri, cq, ch, ";".join(additional), payload])


def string_to_sign(canonical, datetime_text, region):
    return "\n".join(["OSS4-HMAC-SHA256", datetime_text, datetime_text[:8] + "/" + region + "/oss/aliyun_v4_request",
                      hashlib.sha256(canonical.encode()).hexdigest()])


def signature(secret, datetime_text, region, sts):
    k = ("aliyun_v4" + secret).encode()
    for part in (datetime_text[:8], region, "oss", "aliyun_v4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()


def verify(clock, keys, region, method, bucket, key, raw_query, headers, body):
    """headers: lowercase dict. Returns the AccessKeyId or raises OssError."""
    auth = headers.get("authorization", "")
    if auth.startswith("OSS "):
        raise OssError(403, "AccessDenied", "The emulator accepts Signature V4 only.")
    m = AUTH_RE.match(auth)
    if m is None:
        raise OssError(400, "InvalidArgument", "Authorization header is invalid.")
    ak, date, cred_region, additional, sig = m.groups()
    if additional is not None and not additional:
        raise OssError(400, "InvalidArgument", "AdditionalHeaders must not be empty.", EC="0002-00000209")
    dt = headers.get("x-oss-date", "")
    try:
        ts = datetime.strptime(dt, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise OssError(403, "AccessDenied", "x-oss-date is missing or malformed.")
    if abs(ts - clock.now()) > SKEW_SECONDS:
        raise OssError(403, "RequestTimeTooSkewed", "The difference between the request time and the current "
                       "time is too large.")
    if date != dt[:8] or cred_region != region:
        raise OssError(400, "InvalidArgument", "Invalid credential scope in Authorization.")
    found = keys.lookup(ak)
    if found is None:
        raise OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our "
                       "records.", OSSAccessKeyId=ak)
    secret, sts = found
    extra = sorted(set((additional or "").split(";")) - {""})
    pairs = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
    canonical = canonical_request(method, bucket, key, pairs, headers, extra)
    to_sign = string_to_sign(canonical, dt, region)
    if not hmac.compare_digest(signature(secret, dt, region, to_sign), sig):
        raise OssError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                       "signature you provided.", StringToSign=to_sign, OSSAccessKeyId=ak)
    if sts is not None:
        token = headers.get("x-oss-security-token", "")
        if not hmac.compare_digest(token.encode(), sts["token"].encode()):
            raise OssError(403, "InvalidAccessKeyId", "The security token you provided is invalid.")
        if clock.now() >= sts["expires"]:
            raise OssError(403, "SecurityTokenExpired", "The security token you provided has expired.")
    declared = headers.get("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
    if declared != "UNSIGNED-PAYLOAD" and declared != hashlib.sha256(body).hexdigest():
        raise OssError(400, "InvalidArgument", "x-oss-content-sha256 does not match the body.")
    return ak
