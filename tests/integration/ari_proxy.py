"""A fake ACME Renewal Information endpoint (RFC 9773) for tests: an HTTPS reverse proxy in front of Pebble,
whose Debian version (2.4) serves no `renewalInfo`.

- It forwards every request to Pebble unchanged, Host header included: Pebble builds every URL it hands out
  (directory, orders, Location, Link) and checks every JWS "url" from the request's Host, so the whole ACME
  conversation flows through the proxy without rewriting anything.
- It adds `"renewalInfo": "https://127.0.0.1:<port>/renewal-info"` to the directory and answers
  `GET /renewal-info/<certID>` itself, with what `renewal_info(cert_id, names, generation)` returns (see
  `window()`); `generation` counts earlier certificates for the same names, so a test can put the first
  certificate's window in the past and its successor's in the future. Unknown certIDs get 404.
- It learns which certID belongs to which names from the certificates it forwards (POST-as-GET answers of type
  application/pem-certificate-chain), computing the certID independently of certman (`cert_id()`).
- `reject_replaces_once`: the first newOrder whose "replaces" is in this set gets
  `409 urn:ietf:params:acme:error:alreadyReplaced` instead of reaching Pebble.
- Every request is recorded in `requests` (method, path, decoded JWS payload, post_as_get, status, time).
- A test can play a hostile CA with two hooks: `before(record, nonce)` may answer a request itself (return
  (status, headers dict, body); `nonce()` gives a fresh Replay-Nonce for it) or stall it (sleep, then return
  None to forward it); `after(record, status, headers, body)` may rewrite Pebble's answer (return the new
  (status, headers list, body)).

TLS: the proxy serves the harness's localhost certificate, so certman trusts it with the same trusted_ca."""
import base64
import datetime
import http.client
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import free_port  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"}


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cert_id(pem):
    """RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(DER content octets of the serial)."""
    cert = x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    serial = cert.serial_number
    # A positive INTEGER's minimal two's-complement form: one extra byte whenever the top bit would be set.
    return b64u(aki) + "." + b64u(serial.to_bytes(serial.bit_length() // 8 + 1, "big"))


def rfc3339(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def window(start, end, retry_after=None, explanation_url=None):
    """A 200 renewalInfo answer: (status, headers, body) with suggestedWindow [start, end] (datetimes)."""
    doc = {"suggestedWindow": {"start": rfc3339(start), "end": rfc3339(end)}}
    if explanation_url:
        doc["explanationURL"] = explanation_url
    headers = {"Content-Type": "application/json"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return 200, headers, json.dumps(doc).encode()


def _payload(body):
    """The decoded payload of a flattened JWS, or None (not JSON, POST-as-GET, not a JWS)."""
    try:
        jws = json.loads(body)
        raw = b64u_decode(jws["payload"])
        return json.loads(raw) if raw else None
    except (ValueError, KeyError, TypeError):
        return None


def _is_post_as_get(body):
    """RFC 8555 §6.3: a JWS whose payload is the empty string."""
    try:
        return json.loads(body)["payload"] == ""
    except (ValueError, KeyError, TypeError):
        return False


def _problem_type(headers, body):
    """The "type" of an RFC 7807 problem document, or None."""
    if not any(k.lower() == "content-type" and v.startswith("application/problem+json") for k, v in headers):
        return None
    try:
        return json.loads(body).get("type")
    except (ValueError, AttributeError):
        return None


class AriProxy:
    def __init__(self, pebble):
        self.pebble = pebble
        self.port = free_port()
        self.requests = []
        self.issued = []  # (certID, sorted names) in the order the certificates went through
        self.renewal_info = lambda cert_id, names, generation: None
        self.reject_replaces_once = set()
        self.before = None
        self.after = None
        self.lock = threading.Lock()
        self.server = None

    @property
    def directory_url(self):
        return f"https://127.0.0.1:{self.port}/dir"

    def renewal_info_gets(self, cid=None):
        return [r for r in self.requests if r["method"] == "GET" and r["path"].startswith("/renewal-info/")
                and (cid is None or r["path"] == "/renewal-info/" + cid)]

    def new_orders(self, name=None):
        """newOrder requests (payloads with identifiers), optionally only those naming `name`; requests Pebble
        refused for a bad nonce (it rejects 5% at random) are left out: the client sends them again."""
        out = []
        for r in self.requests:
            p = r["payload"]
            if r["problem"] == "urn:ietf:params:acme:error:badNonce":
                continue
            if r["method"] == "POST" and isinstance(p, dict) and "identifiers" in p and "csr" not in p:
                if name is None or any(i.get("value") == name for i in p["identifiers"]):
                    out.append(r)
        return out

    def names_of(self, cid):
        with self.lock:
            for c, names in self.issued:
                if c == cid:
                    return names
        return None

    def start(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(self.pebble.dir, "cert.pem"), os.path.join(self.pebble.dir, "key.pem"))
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self.server.daemon_threads = True
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- called from the handler threads ---

    def forward(self, method, path, headers, body):
        ctx = ssl.create_default_context(cafile=self.pebble.tls_ca)
        conn = http.client.HTTPSConnection("127.0.0.1", self.pebble.port, context=ctx, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            return res.status, [(k, v) for k, v in res.getheaders()], res.read()
        finally:
            conn.close()

    def fresh_nonce(self, host):
        _, headers, _ = self.forward("HEAD", "/nonce-plz", {"Host": host}, None)
        return dict((k.lower(), v) for k, v in headers).get("replay-nonce", "")

    def learn_certificate(self, body):
        pem = body.decode(errors="replace")
        first = pem[:pem.find("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")]
        cert = x509.load_pem_x509_certificate(first.encode())
        names = sorted(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                       .get_values_for_type(x509.DNSName))
        cid = cert_id(first)
        with self.lock:
            if all(c != cid for c, _ in self.issued):
                self.issued.append((cid, names))

    def answer_renewal_info(self, cid):
        with self.lock:
            match = [(i, names) for i, (c, names) in enumerate(self.issued) if c == cid]
            if not match:
                return 404, {"Content-Type": "application/problem+json"}, b'{"type":"urn:ietf:params:acme:error:malformed"}'
            index, names = match[0]
            generation = sum(1 for _, n in self.issued[:index] if n == names)
        answer = self.renewal_info(cid, names, generation)
        return answer or (404, {"Content-Type": "application/problem+json"}, b'{"type":"urn:ietf:params:acme:error:malformed"}')


def _handler(proxy):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status, headers, body):
            self.send_response(status)
            for k, v in headers:
                if k.lower() not in HOP_BY_HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            record = {"method": self.command, "path": self.path, "payload": _payload(body) if body else None,
                      "post_as_get": self.command == "POST" and _is_post_as_get(body), "time": time.time()}
            status, headers, out = self._answer(body, record)
            record["status"] = status
            record["problem"] = _problem_type(headers, out)
            with proxy.lock:
                proxy.requests.append(record)
            self._send(status, headers, out)

        def _answer(self, body, record):
            if self.command == "GET" and self.path.startswith("/renewal-info/"):
                status, headers, out = proxy.answer_renewal_info(self.path[len("/renewal-info/"):])
                return status, list(headers.items()), out
            payload = record["payload"]
            replaces = payload.get("replaces") if isinstance(payload, dict) else None
            if self.command == "POST" and replaces is not None:
                with proxy.lock:
                    reject = replaces in proxy.reject_replaces_once
                    proxy.reject_replaces_once.discard(replaces)
                if reject:
                    problem = {"type": "urn:ietf:params:acme:error:alreadyReplaced", "status": 409,
                               "detail": f"certificate {replaces} was already replaced (injected by the test proxy)"}
                    return 409, [("Content-Type", "application/problem+json"),
                                 ("Replay-Nonce", proxy.fresh_nonce(self.headers["Host"]))], json.dumps(problem).encode()
            if proxy.before:
                answer = proxy.before(record, lambda: proxy.fresh_nonce(self.headers["Host"]))
                if answer is not None:
                    return answer[0], list(answer[1].items()), answer[2]
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            status, res_headers, out = proxy.forward(self.command, self.path, headers, body)
            content_type = dict((k.lower(), v) for k, v in res_headers).get("content-type", "")
            if self.command == "GET" and self.path == "/dir" and status == 200:
                doc = json.loads(out)
                doc["renewalInfo"] = f"https://127.0.0.1:{proxy.port}/renewal-info"
                out = json.dumps(doc).encode()
            elif status == 200 and content_type.startswith("application/pem-certificate-chain"):
                proxy.learn_certificate(out)
            if proxy.after:
                status, res_headers, out = proxy.after(record, status, res_headers, out)
            return status, res_headers, out

        do_GET = do_POST = do_HEAD = _handle

    return Handler
