#!/usr/bin/env python3
"""kill -9 the storage writer at random instants; after each kill a reader must see a consistent state.

certman_storage_torture (tests/storage/torture_main.cpp) stores bundles forever, alternating between a few
key/cert pairs made here with the openssl CLI, publishing each to live/ and taking a lease around it. After
every SIGKILL, `certman_storage_torture verify` checks the stored bundle, the lease and live/ through the
library, and this script checks live/torture/ on its own with python3-cryptography: the private key must
be the one of the certificate. docs/storage-layout.md, "Guarantees": a reader never sees a new leaf with an old
key, even after kill -9 at any instant.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from cryptography import x509
from cryptography.hazmat.primitives import serialization

PAIRS = 3
KILLS = 50


def torture_binary():
    build = os.environ.get("CERTMAN_BUILD")
    if not build:
        sys.exit("CERTMAN_BUILD is not set (run through ctest)")
    path = os.path.join(build, "certman_storage_torture")
    if not os.access(path, os.X_OK):
        sys.exit(f"{path} is missing: build the certman_storage_torture target")
    return path


def make_pairs(directory):
    for i in range(PAIRS):
        key, cert = os.path.join(directory, f"key{i}.pem"), os.path.join(directory, f"cert{i}.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", f"/CN=torture{i}"],
                       check=True, capture_output=True)


def public_der(pub):
    return pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def check_live_pair(root):
    """The live key belongs to the live certificate (checked with cryptography, not with the library)."""
    live = os.path.join(root, "live", "torture")
    if not os.path.exists(os.path.join(live, "privkey.pem")):
        return "absent"
    with open(os.path.join(live, "privkey.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(live, "cert.pem"), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    if public_der(key.public_key()) != public_der(cert.public_key()):
        raise AssertionError("live/torture: privkey.pem does not match cert.pem")
    mode = os.stat(os.path.join(live, "privkey.pem")).st_mode & 0o777
    if mode != 0o600:
        raise AssertionError(f"live/torture/privkey.pem has mode {oct(mode)}")
    entries = [e for e in os.listdir(os.path.join(root, "live")) if not e.startswith(".tmp-")]
    if entries != ["torture"]:
        raise AssertionError(f"unexpected entries in live/: {entries}")
    return cert.subject.rfc4514_string()


def main():
    binary = torture_binary()
    rng = random.Random(int(os.environ.get("CERTMAN_TORTURE_SEED", time.time())))
    work = tempfile.mkdtemp(prefix="certman-crash-")
    try:
        pairs, root = os.path.join(work, "pairs"), os.path.join(work, "state")
        os.mkdir(pairs)
        make_pairs(pairs)
        seen = set()
        deadline = time.monotonic() + 25
        kills = 0
        while kills < KILLS and time.monotonic() < deadline:
            writer = subprocess.Popen([binary, "write", root, pairs, str(PAIRS)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.005, 0.25))
            os.kill(writer.pid, signal.SIGKILL)
            _, err = writer.communicate()
            if writer.returncode != -signal.SIGKILL:
                raise AssertionError(f"writer exited by itself ({writer.returncode}): {err.decode()}")
            kills += 1
            verify = subprocess.run([binary, "verify", root, pairs, str(PAIRS)], capture_output=True, text=True)
            if verify.returncode != 0:
                raise AssertionError(f"after kill {kills}: {verify.stderr.strip()}")
            seen.add(check_live_pair(root))
        if kills < 20:
            raise AssertionError(f"only {kills} kills in the time box")
        if len(seen - {"absent"}) < 2:
            raise AssertionError(f"the writer never switched pairs between kills: {seen}")
        print(f"storage crash test: {kills} kills, live pairs seen: {sorted(seen)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
