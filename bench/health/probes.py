"""The /health prober the bench/health scripts share: a thread that opens a new connection for GET /health
(Connection: close, as a load balancer's health check does) every `interval` seconds and keeps each latency."""
import socket
import threading
import time


def probe(port):
    """One health check against 127.0.0.1:port; its latency in seconds."""
    t = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while s.recv(4096):
            pass
    return time.perf_counter() - t


class Prober:
    """with Prober(port, interval) as p: ...  then p.worst(), p.p99() (seconds) and len(p.samples)."""

    def __init__(self, port, interval):
        self.port, self.interval, self.samples = port, interval, []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._done.is_set():
            self.samples.append(probe(self.port))
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.samples.sort()

    def worst(self):
        return self.samples[-1]

    def p99(self):
        return self.samples[int(len(self.samples) * 0.99) - 1]
