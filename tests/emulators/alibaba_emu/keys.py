"""Access keys the emulator accepts: long-lived RAM user keys from the state file, and STS triples handed out
by the IMDS emulator, each valid until its expiration (reference §3.1)."""
import secrets
import threading


class KeyStore:
    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._static = {}    # id -> secret
        self._sts = {}       # id -> {"secret", "token", "expires"}

    def add_static(self, key_id, secret):
        with self._lock:
            self._static[key_id] = secret

    def issue_sts(self, ttl_seconds):
        """A fresh STS triple valid for ttl_seconds of emulator time."""
        key = {"id": "STS.emu" + secrets.token_hex(10), "secret": secrets.token_urlsafe(24),
               "token": "CAIS" + secrets.token_urlsafe(48), "expires": int(self._clock.now()) + int(ttl_seconds)}
        with self._lock:
            self._sts[key["id"]] = key
        return dict(key)

    def lookup(self, key_id):
        """(secret, sts-record-or-None), or None for an unknown id."""
        with self._lock:
            if key_id in self._static:
                return self._static[key_id], None
            if key_id in self._sts:
                rec = self._sts[key_id]
                return rec["secret"], dict(rec)
        return None

    def snapshot(self):
        with self._lock:
            return {"static": sorted(self._static),
                    "sts": [{"AccessKeyId": k, "Expiration": v["expires"]} for k, v in self._sts.items()]}
