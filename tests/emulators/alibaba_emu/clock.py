"""The emulator's notion of now: real time plus an offset the control API can move (skew and expiry tests)."""
import threading
import time
from datetime import datetime, timezone

ISO = "%Y-%m-%dT%H:%M:%SZ"


class Clock:
    def __init__(self):
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self):
        with self._lock:
            return time.time() + self._offset

    def set_offset(self, seconds):
        with self._lock:
            self._offset = float(seconds)

    @property
    def offset(self):
        with self._lock:
            return self._offset


def iso(ts):
    return datetime.fromtimestamp(int(ts), timezone.utc).strftime(ISO)


def parse_iso(text):
    """'2016-02-23T12:46:24Z' → epoch seconds; ValueError on any other shape."""
    return datetime.strptime(text, ISO).replace(tzinfo=timezone.utc).timestamp()
