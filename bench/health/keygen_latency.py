"""The worst /health latency while `certman run` issues four rsa4096 certificates from Pebble (key generation,
up to seconds per key, must not block the io thread). Probes GET /health on a fresh connection every 10 ms
from the start of the daemon until the four certificates are stored; prints the worst and the 99th percentile.
Usage: python3 bench/health/keygen_latency.py [rounds]   (binary from $CERTMAN_BIN, else build/certman)."""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "integration"))
sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, free_port  # noqa: E402
from daemon_harness import Daemon  # noqa: E402
from pebble_harness import Pebble  # noqa: E402
from probes import Prober  # noqa: E402


def one_round():
    d = tempfile.mkdtemp(prefix="certman-bench-keygen-")
    port = free_port()
    with Pebble(port) as pebble:
        certs = [(f"rsa{i}", [f"rsa{i}.example.test"], {"key_type": "rsa4096"}) for i in range(4)]
        dm = Daemon(d, pebble, port, certs).start()
        t0 = time.monotonic()
        try:
            with Prober(port, 0.01) as p:
                dm.wait_for(lambda: all(dm.bundle(n) for n, *_ in certs), timeout=300, what="four rsa4096 certificates")
                issued = time.monotonic() - t0
        finally:
            dm.stop()
    return p.worst(), p.p99(), len(p.samples), issued


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"binary: {BIN}")
    for r in range(rounds):
        worst, p99, n, issued = one_round()
        print(f"round {r + 1}: worst {worst * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms over {n} probes; "
              f"4 certificates in {issued:.1f} s")
