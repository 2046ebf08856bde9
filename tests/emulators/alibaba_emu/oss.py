"""OSS object API, the subset a certificate store needs (reference §4.1, §4.4, §7 item 6): PutObject (with
x-oss-forbid-overwrite → 409 FileAlreadyExists, atomically), GetObject/HeadObject (If-Match/If-None-Match),
DeleteObject (204 always), ListObjectsV2, GetBucketVersioning (GET /<bucket>/?versioning). Buckets are in
memory; the state's "oss": {"versioning": {"<bucket>": "Enabled"}} marks a bucket versioned, which (like OSS)
makes PutObject ignore x-oss-forbid-overwrite there. Requests are V4-signed
(oss_auth.py). Path style /<bucket>/<key>, or virtual-hosted when the Host's first label is a bucket.
Conditional PutObject headers are refused with NotImplemented, as OSS does."""
import hashlib
import threading
import urllib.parse
from email.utils import formatdate
from xml.sax.saxutils import escape

from . import oss_auth
from .clock import iso
from .responses import Response, request_id

CONDITIONAL = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since")


def _xml(status, root, fields, rid):
    parts = ["<%s>%s</%s>" % (k, escape(str(v)), k) for k, v in fields]
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<%s>%s</%s>' % (root, "".join(parts), root)
    return Response(status, body.encode(), {"Content-Type": "application/xml", "x-oss-request-id": rid})


def error(status, code, message, host, **extra):
    rid = request_id()
    fields = [("Code", code), ("Message", message), ("RequestId", rid), ("HostId", host)] + sorted(extra.items())
    return _xml(status, "Error", fields, rid)


class Oss:
    def __init__(self, config, clock, keys, faults):
        self.region = config.get("region", "cn-hangzhou")
        self.buckets = {b: {} for b in config.get("buckets", [])}   # bucket -> key -> object
        self.versioning = dict(config.get("versioning", {}))          # bucket -> "Enabled" | "Suspended"
        for b in self.versioning:
            self.buckets.setdefault(b, {})
        self._clock, self._keys, self._faults = clock, keys, faults
        self._lock = threading.Lock()

    def route(self, host, path):
        """(bucket, key) when the request is for OSS, else None."""
        label = host.split(".", 1)[0] if host else ""
        if label in self.buckets and "." in host:
            return label, path[1:]
        first, _, rest = path[1:].partition("/")
        if first in self.buckets:
            return first, rest
        return None

    def handle(self, method, bucket, key, raw_query, headers, body):
        """headers: lowercase dict. Returns (Response, operation name, outcome)."""
        host = "%s.oss-%s.aliyuncs.com" % (bucket, self.region)
        op = self._operation(method, key, raw_query)
        fault = None
        try:
            oss_auth.verify(self._clock, self._keys, self.region, method, bucket, key, raw_query, headers, body)
            fault = self._faults.take("oss", op, key)
            if fault is not None and fault["kind"] == "slow":
                delay = float(fault.get("seconds", 1))
            elif fault is not None and fault["kind"] == "status503":
                return Response(503, b"<html>503 Service Unavailable</html>", {"Content-Type": "text/html"}), op, \
                    "fault:status503"
            elif fault is not None and fault["kind"] != "tokens":
                raise oss_auth.OssError(fault["status"], fault["code"], fault["message"])
            with self._lock:
                self._token_fault = fault if fault is not None and fault["kind"] == "tokens" else None
                resp = getattr(self, "_" + op)(bucket, key, raw_query, headers, body, host)
        except oss_auth.OssError as e:
            resp = error(e.status, e.code, e.message, host, **e.extra)
            if fault is not None and fault["kind"] == "slow":  # a slow service is slow to say "no" too
                resp.delay = delay
            return resp, op, e.code
        if fault is not None and fault["kind"] == "slow":
            resp.delay = delay
        return resp, op, "ok" if resp.status < 300 else str(resp.status)

    @staticmethod
    def _operation(method, key, raw_query=""):
        if not key:
            if method == "GET" and "versioning" in dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True)):
                return "GetBucketVersioning"
            return "ListObjectsV2" if method == "GET" else "Unsupported"
        return {"PUT": "PutObject", "GET": "GetObject", "HEAD": "HeadObject",
                "DELETE": "DeleteObject"}.get(method, "Unsupported")

    def _Unsupported(self, bucket, key, q, headers, body, host):
        raise oss_auth.OssError(405, "MethodNotAllowed", "The specified method is not allowed.")

    def _PutObject(self, bucket, key, q, headers, body, host):
        for h in CONDITIONAL:
            if h in headers:
                raise oss_auth.OssError(400, "NotImplemented", "A header you provided implies functionality that "
                                        "is not implemented.", Header=h, EC="0017-00000245")
        objects = self.buckets[bucket]
        forbid = headers.get("x-oss-forbid-overwrite", "").lower() == "true" and bucket not in self.versioning
        if forbid and key in objects:
            raise oss_auth.OssError(409, "FileAlreadyExists", "The object you specified already exists and can "
                                    "not be overwritten.")
        now = self._clock.now()
        etag = '"%s"' % hashlib.md5(body).hexdigest().upper()
        objects[key] = {"body": body, "etag": etag, "mtime": now,
                        "type": headers.get("content-type", "application/octet-stream")}
        return Response(200, b"", {"ETag": etag, "x-oss-request-id": request_id()})

    def _object(self, bucket, key, headers, head):
        obj = self.buckets[bucket].get(key)
        if obj is None:
            if head:
                return Response(404, b"", {"x-oss-request-id": request_id()})
            raise oss_auth.OssError(404, "NoSuchKey", "The specified key does not exist.", Key=key)
        hdrs = {"ETag": obj["etag"], "Last-Modified": formatdate(obj["mtime"], usegmt=True),
                "Content-Type": obj["type"], "x-oss-request-id": request_id()}
        if "if-match" in headers and headers["if-match"] != obj["etag"]:
            if head:
                return Response(412, b"", hdrs)
            raise oss_auth.OssError(412, "PreconditionFailed", "At least one of the pre-conditions you specified "
                                    "did not hold.")
        if "if-none-match" in headers and headers["if-none-match"] == obj["etag"]:
            return Response(304, b"", hdrs)
        return Response(200, obj["body"], hdrs)

    def _GetObject(self, bucket, key, q, headers, body, host):
        return self._object(bucket, key, headers, head=False)

    def _HeadObject(self, bucket, key, q, headers, body, host):
        return self._object(bucket, key, headers, head=True)

    def _DeleteObject(self, bucket, key, q, headers, body, host):
        self.buckets[bucket].pop(key, None)
        return Response(204, b"", {"x-oss-request-id": request_id()})

    def _GetBucketVersioning(self, bucket, key, q, headers, body, host):
        status = self.versioning.get(bucket)
        inner = "<Status>%s</Status>" % status if status else ""
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration>%s</VersioningConfiguration>'
                % inner)
        return Response(200, body.encode(), {"Content-Type": "application/xml", "x-oss-request-id": request_id()})

    def _ListObjectsV2(self, bucket, key, q, headers, body, host):
        p = dict(urllib.parse.parse_qsl(q, keep_blank_values=True))
        prefix, delim = p.get("prefix", ""), p.get("delimiter", "")
        try:
            max_keys = int(p.get("max-keys", 100))
        except ValueError:
            max_keys = 0
        if not 1 <= max_keys <= 1000:
            raise oss_auth.OssError(400, "InvalidArgument", "max-keys must be between 1 and 1000.")
        after = p.get("continuation-token") or p.get("start-after", "")
        contents, prefixes, last, truncated = [], [], None, False
        for k in sorted(k for k in self.buckets[bucket] if k.startswith(prefix) and k > after):
            rest = k[len(prefix):]
            cp = prefix + rest.split(delim, 1)[0] + delim if delim and delim in rest else None
            if cp is not None and prefixes and prefixes[-1] == cp:
                last = k          # folded into the common prefix already listed
                continue
            if len(contents) + len(prefixes) >= max_keys:
                truncated = True
                break
            (prefixes if cp is not None else contents).append(cp if cp is not None else k)
            last = k
        fault = getattr(self, "_token_fault", None)
        if fault is not None:   # faults.py "tokens": a service whose continuation tokens cycle
            tokens, given = fault["tokens"], p.get("continuation-token", "")
            turn = tokens.index(given) + 1 if given in tokens else 0
            truncated, last = True, tokens[turn % len(tokens)]
        return self._list_xml(bucket, p, contents, prefixes, truncated, last)

    def _list_xml(self, bucket, p, contents, prefixes, truncated, last):
        objs = self.buckets[bucket]
        parts = ["<Name>%s</Name><Prefix>%s</Prefix><MaxKeys>%s</MaxKeys><Delimiter>%s</Delimiter>"
                 "<IsTruncated>%s</IsTruncated><KeyCount>%d</KeyCount>" % (
                     escape(bucket), escape(p.get("prefix", "")), p.get("max-keys", "100"),
                     escape(p.get("delimiter", "")), "true" if truncated else "false", len(contents) + len(prefixes))]
        if truncated:
            parts.append("<NextContinuationToken>%s</NextContinuationToken>" % escape(last))
        for k in contents:
            o = objs[k]
            parts.append("<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>%s</ETag><Size>%d</Size>"
                         "<StorageClass>Standard</StorageClass></Contents>" % (
                             escape(k), iso(o["mtime"]).replace("Z", ".000Z"), escape(o["etag"]), len(o["body"])))
        for cp in prefixes:
            parts.append("<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % escape(cp))
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>%s</ListBucketResult>' % "".join(parts)
        return Response(200, body.encode(), {"Content-Type": "application/xml", "x-oss-request-id": request_id()})

    def snapshot(self):
        with self._lock:
            return {b: [{"key": k, "size": len(o["body"]), "etag": o["etag"]} for k, o in sorted(objs.items())]
                    for b, objs in self.buckets.items()}
