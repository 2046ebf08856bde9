"""ECS instance metadata service, the parts a RAM-role credential provider uses (reference §3.1).

  PUT /latest/api/token   header X-aliyun-ecs-metadata-token-ttl-seconds: 1..21600 → token (text/plain);
                          400 for a missing/bad TTL, 403 when X-Forwarded-For is present.
  GET /latest/meta-data/ram/security-credentials/          → role name (text/plain)
  GET /latest/meta-data/ram/security-credentials/<role>    → {"Code":"Success","AccessKeyId":"STS.…",...}
  GET /latest/meta-data/region-id | instance-id
A GET with a bad or expired X-aliyun-ecs-metadata-token is 401; in "required" (hardened) mode a GET without one is
401 too. Credentials rotate when half their lifetime is gone; older ones stay valid until they expire, as on ECS.
The exact status codes of the real service are unverified (§8); these follow the AWS IMDSv2 ones.
A broken service: POST /_emulator/imds {"expiration": "1970-01-01T00:00:00Z"} makes every credentials document
claim that Expiration (the keys themselves stay valid for credential_ttl); {"expiration": null} undoes it.
"""
import secrets
import threading

from .clock import iso
from .responses import json_response, text_response

TOKEN_TTL_HEADER = "X-aliyun-ecs-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aliyun-ecs-metadata-token"
CRED_PREFIX = "/latest/meta-data/ram/security-credentials/"


class Imds:
    def __init__(self, clock, keys, config):
        self._clock, self._keys = clock, keys
        self._lock = threading.Lock()
        self.role = config.get("role", "certman-role")
        self.mode = config.get("mode", "optional")            # "optional" | "required"
        self.credential_ttl = int(config.get("credential_ttl", 3600))
        self.region = config.get("region", "cn-hangzhou")
        self._tokens = {}      # token -> expiry
        self._current = None   # the STS record handed out now
        self.expiration = None  # an Expiration to claim instead of the real one (a broken service)
        self.counts = {"token": 0, "role": 0, "credentials": 0, "refused": 0}

    def configure(self, cfg):
        with self._lock:
            if "mode" in cfg:
                if cfg["mode"] not in ("optional", "required"):
                    raise ValueError("mode is optional or required")
                self.mode = cfg["mode"]
            if "credential_ttl" in cfg:
                self.credential_ttl = int(cfg["credential_ttl"])
                self._current = None
            if "role" in cfg:
                self.role = cfg["role"]
                self._current = None
            if "expiration" in cfg:
                self.expiration = cfg["expiration"]

    def handle(self, method, path, headers):
        if path == "/latest/api/token":
            return self._token(method, headers) if method == "PUT" else text_response(405, "Method Not Allowed")
        if method != "GET":
            return text_response(405, "Method Not Allowed")
        refused = self._check_token(headers)
        if refused is not None:
            return refused
        if path == "/latest/meta-data/region-id":
            return text_response(200, self.region)
        if path == "/latest/meta-data/instance-id":
            return text_response(200, "i-emu0000000000000001")
        if path == CRED_PREFIX:
            with self._lock:
                self.counts["role"] += 1
            return text_response(200, self.role)
        if path.startswith(CRED_PREFIX) and path[len(CRED_PREFIX):] == self.role:
            return self._credentials()
        return text_response(404, "Not Found")

    def _token(self, method, headers):
        if headers.get("X-Forwarded-For") is not None:
            return self._refuse(403, "Forbidden")
        ttl = headers.get(TOKEN_TTL_HEADER)
        if ttl is None or not ttl.strip().isdigit() or not 1 <= int(ttl) <= 21600:
            return self._refuse(400, "Bad Request")
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = self._clock.now() + int(ttl)
            self.counts["token"] += 1
        return text_response(200, token)

    def _check_token(self, headers):
        token = headers.get(TOKEN_HEADER)
        with self._lock:
            if token is None:
                return self._refuse(401, "Unauthorized", locked=True) if self.mode == "required" else None
            expiry = self._tokens.get(token)
            if expiry is None or self._clock.now() >= expiry:
                return self._refuse(401, "Unauthorized", locked=True)
        return None

    def _refuse(self, status, text, locked=False):
        if locked:
            self.counts["refused"] += 1
        else:
            with self._lock:
                self.counts["refused"] += 1
        return text_response(status, text)

    def _credentials(self):
        now = self._clock.now()
        with self._lock:
            cur = self._current
            if cur is None or cur["expires"] - now <= self.credential_ttl / 2:
                cur = self._current = dict(self._keys.issue_sts(self.credential_ttl), issued=int(now))
            self.counts["credentials"] += 1
        return json_response(200, {"AccessKeyId": cur["id"], "AccessKeySecret": cur["secret"],
                                   "Expiration": self.expiration or iso(cur["expires"]), "SecurityToken": cur["token"],
                                   "LastUpdated": iso(cur["issued"]), "Code": "Success"}, rid="imds")

    def snapshot(self):
        with self._lock:
            return {"role": self.role, "mode": self.mode, "credential_ttl": self.credential_ttl,
                    "counts": dict(self.counts)}
