"""What the OpenAPI gateway checks the same way for both signature versions (reference alibaba-api.md §1.1-§1.2
and alibaba-cas-alb-nlb-alidns.md §1.3-§1.4): the timestamp window, the STS token that must accompany STS
credentials, and nonce replay per access key. RpcAuth (V1) and Acs3Auth (V3) inherit it."""
import hmac
import threading

from .clock import parse_iso
from .responses import RpcError

WINDOW_SECONDS = 15 * 60


class GatewayChecks:
    def __init__(self, clock, keys, version):
        self._clock, self._keys, self._version = clock, keys, version
        self._nonces = set()
        self._lock = threading.Lock()

    def _check_time(self, text):
        try:
            ts = parse_iso(text)
        except ValueError:
            raise RpcError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
        if abs(ts - self._clock.now()) > WINDOW_SECONDS:
            raise RpcError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")

    def _check_sts(self, sts, token):
        if not token:
            raise RpcError(400, "MissingSecurityToken", "SecurityToken is mandatory for this action.")
        if not hmac.compare_digest(token.encode(), sts["token"].encode()):
            raise RpcError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                           "The Security Token does not match access key Id.")
        if self._clock.now() >= sts["expires"]:
            raise RpcError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")

    def _use_nonce(self, key_id, nonce):
        with self._lock:
            if (key_id, nonce) in self._nonces:
                raise RpcError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self._nonces.add((key_id, nonce))
