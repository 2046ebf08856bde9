#!/usr/bin/env python3
"""Cluster mode end to end (docs/cluster-mode.md, "Testing it"): three `certman run` instances share one bucket of the Alibaba
emulator's OSS ([storage] kind = "oss", lease_ttl = 4s); HAProxy round-robins the challenge port over them (the
SLB forwarding rule), and Pebble validates HTTP-01 through HAProxy.

  1. Start-up race: all three want "web" (three names, so three validations spread over the instances). It is
     ordered exactly once (Pebble's orders); every instance ends up with the same serial (/status); validation
     requests were answered by instances that did not hold the token (their /metrics).
  2. Kill the lease holder mid-order: "kill" is added by SIGHUP; the holder's challenge upload is made slow
     (emulator fault), the holder is found from the lease object and kill -9'd while it waits. Another
     instance takes over once the lease expires and finishes; the stored bundle is whole (key matches leaf).
  3. Stalled holder: its challenge upload takes longer than lease_ttl; refreshes keep the lease (nobody else
     orders). Then its lease is overwritten: it cancels its order and writes nothing, and the certificate is
     ordered again once the foreign lease expires, stored once.
  4. Fault run: OSS fails every 4th request (bare 503; challenge objects exempt, see the scenario) while "faulty" is added and the killed instance is
     restarted: the certificate is ordered once and stored once, every instance gets it, nobody crashes, and
     the restarted instance orders nothing for the certificates already in the bucket.
Everything runs on loopback and is stopped by PID."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "emulators"))
from alibaba_testlib import AK, SK, Emulator, oss_sign  # noqa: E402
from certman_harness import Certman, free_port, wait_for, wait_port  # noqa: E402
from pebble_harness import Pebble  # noqa: E402

BUCKET, PREFIX = "certman-store", "cluster"
CERTS = {"web": ["w1.example.test", "w2.example.test", "w3.example.test"],
         "kill": ["k1.example.test"], "stall": ["s1.example.test"], "faulty": ["f1.example.test"]}


class Cluster:
    def __init__(self, workdir, emu, pebble, n=3):
        self.dir, self.emu, self.pebble = workdir, emu, pebble
        self.secret = os.path.join(workdir, "oss-secret")
        with open(self.secret, "w") as f:
            f.write(SK)
        os.chmod(self.secret, 0o600)
        for i in range(n):
            os.makedirs(os.path.join(workdir, f"node{i}"))
        self.nodes = [Certman(workdir=os.path.join(workdir, f"node{i}")) for i in range(n)]

    def configure(self, names):
        """(Re)writes every node's config with the certificates `names` (the harness wrote [server]/[admin]
        and opened [storage] with `path`; the OSS keys continue that table)."""
        certs = "".join(f'[[certificate]]\nname = "{n}"\ndomains = {json.dumps(CERTS[n])}\n' +
                        ('deploy = ["files"]\n' if n == "web" else "") for n in names)
        for node in self.nodes:
            os.makedirs(os.path.join(node.dir, "deployed"), exist_ok=True)
            with open(node.config) as f:
                head = f.read().split("# --- cluster ---")[0]
            with open(node.config, "w") as f:
                f.write(head + "# --- cluster ---\n"
                        f'kind = "oss"\nbucket = "{BUCKET}"\nprefix = "{PREFIX}"\nendpoint = "{self.emu.base}"\n'
                        f'region = "cn-hangzhou"\naccess_key_id = "{AK}"\naccess_key_secret_file = "{self.secret}"\n'
                        f'lease_ttl = "4s"\n'
                        f'[acme]\ndirectory = "{self.pebble.directory_url}"\nagree_tos = true\n'
                        f'trusted_ca = "{self.pebble.tls_ca}"\norder_timeout = "60s"\nrequest_timeout = "10s"\n'
                        f'[renewal]\ncheck_interval = "10s"\n' + certs +
                        f'[[deployer]]\nname = "files"\nkind = "files"\ndirectory = "{node.dir}/deployed"\n')

    def reload(self):
        for node in self.alive():
            os.kill(node.proc.pid, signal.SIGHUP)

    def alive(self):
        return [n for n in self.nodes if n.proc is not None and n.proc.poll() is None]

    def status(self, node):
        with urllib.request.urlopen(f"http://127.0.0.1:{node.admin_port}/status", timeout=5) as r:
            return {c["name"]: c for c in json.load(r)["certificates"]}

    def serials(self, name, nodes=None):
        """Each node's serial for `name` ("" when it has none yet, or when a just-restarted node's admin
        listener is not up yet: it starts after the public one)."""
        def one(n):
            try:
                return self.status(n).get(name, {}).get("serial", "")
            except urllib.error.URLError:
                return ""
        return [one(n) for n in (nodes or self.alive())]

    def challenge_answers(self, node):
        """Challenge requests this instance answered with 200 (from memory or from the bucket)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{node.admin_port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith('certman_http_requests_total{listener="public",route="challenge",code="200"}'):
                    return int(float(line.split()[-1]))
        return 0

    # ---- the bucket, read directly (signed like any OSS client) ------------------------------------------
    def objects(self):
        return {o["key"] for o in self.emu.control("GET", "state")["oss"][BUCKET]}

    def get_object(self, key):
        full = f"{PREFIX}/{key}"
        status, _, body = self.emu.raw("GET", f"/{BUCKET}/{full}", headers=oss_sign("GET", BUCKET, full, [], {}))
        return body if status == 200 else None

    def put_object(self, key, body):
        full = f"{PREFIX}/{key}"
        headers = oss_sign("PUT", BUCKET, full, [], {"Content-Type": "application/json"})
        status, _, _ = self.emu.raw("PUT", f"/{BUCKET}/{full}", body, headers)
        assert status == 200, status

    def lease(self, name):
        raw = self.get_object(f"leases/{name}.json")
        return json.loads(raw) if raw else None

    def oss_requests(self):
        return [r for r in self.emu.control("GET", "state")["requests"] if r["service"] == "oss"]


def start_haproxy(workdir, port, backends):
    cfg = os.path.join(workdir, "haproxy.cfg")
    servers = "".join(f"    server c{i} 127.0.0.1:{p} check\n" for i, p in enumerate(backends))
    with open(cfg, "w") as f:
        f.write("global\n    log stdout format raw local0 info\n"
                "defaults\n    mode http\n    log global\n    option httplog\n    timeout connect 1s\n"
                "    timeout client 10s\n    timeout server 10s\n    retries 3\n    option redispatch\n"
                f"frontend challenges\n    bind 127.0.0.1:{port}\n    default_backend certman\n"
                "backend certman\n    balance roundrobin\n    option httpchk GET /health\n"
                "    default-server inter 300ms fall 1 rise 1\n" + servers)
    log = open(os.path.join(workdir, "haproxy.log"), "wb")
    proc = subprocess.Popen(["haproxy", "-db", "-f", cfg], stdout=log, stderr=log)
    log.close()
    wait_port(port, proc=proc)
    return proc


def check_bundle(cluster, name):
    """The stored bundle is whole: JSON, leaf and key belong together, names as configured. Returns serial."""
    raw = cluster.get_object(f"certificates/{name}.json")
    assert raw is not None, f"certificates/{name}.json missing"
    b = json.loads(raw)
    leaf = x509.load_pem_x509_certificate(b["certificate_pem"].encode())
    key = serialization.load_pem_private_key(b["private_key_pem"].encode(), password=None)
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    assert leaf.public_key().public_bytes(serialization.Encoding.DER, pub) == \
        key.public_key().public_bytes(serialization.Encoding.DER, pub), f"{name}: key does not match the leaf"
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    assert sorted(sans) == sorted(CERTS[name]), sans
    return b["serial"]


def count_ops(requests):
    ops = {}
    for r in requests:
        ops[r["action"]] = ops.get(r["action"], 0) + 1
    return ops


def scenario_startup_race(c, t0):
    c.emu.raw("DELETE", "/_emulator/requests")
    # All three listen (and HAProxy's 300 ms checks see them up) before any has a certificate to order; then one
    # reload gives it to all three at once. Starting them with it would let the first one order and be
    # validated before a slow start (ASan) brought the others up, so no validation could reach them.
    c.configure([])
    for node in c.nodes:
        node.start()
    time.sleep(1.0)
    c.configure(["web"])
    c.reload()
    serial = wait_for("every instance to hold web", lambda: len(set(c.serials("web"))) == 1 and c.serials("web")[0]
                      and c.serials("web")[0], 40)
    assert serial == check_bundle(c, "web")
    orders = c.pebble.orders_seen()
    assert orders == 1, f"web ordered {orders} times"
    holders = [n for n in c.nodes if c.status(n)["web"]["last_success"] is not None]
    assert len(holders) == 1, [c.status(n)["web"] for n in c.nodes]
    # A machine-local deployer runs on every instance, not only on the one that ordered.
    for i, node in enumerate(c.nodes):
        path = os.path.join(node.dir, "deployed", "cert.pem")
        wait_for(f"node{i} to deploy web", lambda: os.path.exists(path), 10)
        with open(path, "rb") as f:
            deployed = format(x509.load_pem_x509_certificate(f.read()).serial_number, "x")
        assert deployed.lstrip("0") == serial.lstrip("0"), (i, deployed, serial)
    answers = {i: c.challenge_answers(n) for i, n in enumerate(c.nodes)}
    others = sum(v for i, v in answers.items() if c.nodes[i] is not holders[0])
    assert others >= 1, f"no validation reached an instance without the token: {answers}"
    ops = count_ops(c.oss_requests())
    print(f"  1. start-up race: web ordered {orders}x by node{c.nodes.index(holders[0])}, serial {serial} on all 3 "
          f"after {time.time() - t0:.1f}s; challenge answers per node {answers}; OSS requests {ops}")


def scenario_kill_holder(c):
    t0 = time.time()
    before = c.pebble.orders_seen()
    c.emu.control("POST", "faults", {"target": "oss", "kind": "slow", "seconds": 30, "action": "PutObject",
                                     "key_contains": "challenges/", "times": 1})
    c.configure(["web", "kill"])
    c.reload()
    owner = wait_for_stalled_holder(c, "kill")["owner"]
    pid = int(owner.split("/")[1])
    victim = next(n for n in c.nodes if n.proc.pid == pid)
    os.kill(pid, signal.SIGKILL)
    victim.proc.wait()
    killed_at = time.time()
    assert c.get_object("certificates/kill.json") is None, "the holder finished before it was killed"
    survivors = c.alive()
    serial = wait_for("a survivor to finish kill", lambda: len(set(c.serials("kill", survivors))) == 1 and
                      c.serials("kill", survivors)[0], 40)
    assert serial == check_bundle(c, "kill")
    orders = c.pebble.orders_seen() - before
    assert orders == 2, f"expected the killed order plus one takeover, Pebble saw {orders}"
    taker = [n for n in survivors if c.status(n)["kill"]["last_success"] is not None]
    assert len(taker) == 1
    finished = c.status(taker[0])["kill"]["last_success"]
    print(f"  2. kill -9 of the holder (node{c.nodes.index(victim)}, pid {pid}) mid-order: node"
          f"{c.nodes.index(taker[0])} took over and stored it {finished - killed_at:.0f}s after the kill "
          f"(lease_ttl 4s), all survivors had it after {time.time() - killed_at:.1f}s; orders {orders}, "
          f"scenario {time.time() - t0:.1f}s")
    return victim


def wait_for_stalled_holder(c, name):
    """Waits until the holder of `name` has uploaded a challenge (its upload is slowed down); its lease."""
    before = {k for k in c.objects() if k.startswith(f"{PREFIX}/challenges/")}
    wait_for(f"the holder of {name} to publish its challenge", lambda: f"{PREFIX}/leases/{name}.json" in c.objects()
             and any(k.startswith(f"{PREFIX}/challenges/") and k not in before for k in c.objects()), 20)
    return c.lease(name)


def scenario_stalled_holder(c):
    """The holder's challenge upload takes 7s (> lease_ttl): refreshes keep its lease, nobody else orders.
    Then the lease is overwritten by an "intruder": the holder finds it lost at its next refresh, cancels
    its order and writes nothing; the certificate is ordered again once the intruder's lease expires."""
    t0 = time.time()
    before = c.pebble.orders_seen()
    c.emu.control("POST", "faults", {"target": "oss", "kind": "slow", "seconds": 7, "action": "PutObject",
                                     "key_contains": "challenges/", "times": 1})
    c.configure(["web", "kill", "stall"])
    c.reload()
    first = wait_for_stalled_holder(c, "stall")
    holder = next(n for n in c.alive() if n.proc.pid == int(first["owner"].split("/")[1]))
    time.sleep(4.6)  # > lease_ttl: without refreshes the lease would have expired by now
    later = c.lease("stall")
    assert later and later["owner"] == first["owner"], (first, later)
    assert later["expires"] > first["expires"], f"the lease was not refreshed: {first} → {later}"
    assert c.pebble.orders_seen() - before == 1, "someone else ordered while the holder was slow"
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3))
    c.put_object("leases/stall.json", json.dumps({"owner": "intruder/1/1", "expires": expires}).encode())
    wait_for("the holder to cancel", lambda: "stall: order cancelled, the lease was lost" in holder.logs(), 20)
    serial = wait_for("every instance to hold stall", lambda: len(set(c.serials("stall"))) == 1 and
                      c.serials("stall")[0], 40)
    assert serial == check_bundle(c, "stall")
    orders = c.pebble.orders_seen() - before
    assert orders == 2, f"expected the cancelled order plus one, Pebble saw {orders}"
    stores = [r for r in c.oss_requests() if r["action"] == "PutObject" and r["status"] == 200
              and r.get("key") == f"{PREFIX}/certificates/stall.json"]
    assert len(stores) == 1, f"stall stored {len(stores)} times"
    print(f"  3. holder node{c.nodes.index(holder)} stalled 7s in its challenge upload: lease refreshed "
          f"({first['expires']} → {later['expires']}), no other order; lease overwritten → order cancelled, "
          f"re-ordered once the intruder's lease expired; orders {orders}, stored once, {time.time() - t0:.1f}s")


def scenario_faults(c, victim):
    t0 = time.time()
    c.emu.raw("DELETE", "/_emulator/faults")
    c.emu.raw("DELETE", "/_emulator/requests")
    before = c.pebble.orders_seen()
    issued_before = c.pebble.certificates_issued()
    # Challenge objects are exempt: a lookup of the bucket by an instance that does not hold the token makes one
    # attempt by design (docs/cluster-mode.md, "Challenge lookups"; its fault behaviour is
    # test_challenge_lookups.py's), so a 503 there fails the CA's validation and costs a minute of backoff per
    # failure. This scenario is about the renewal path: lease, state, bundle and their retries.
    c.emu.control("POST", "faults", {"target": "oss", "kind": "status503", "every": 4, "times": -1,
                                     "key_excludes": "/challenges/"})
    try:
        c.configure(["web", "kill", "stall", "faulty"])
        c.reload()
        victim.stop()  # closes its log file; the process is gone already
        victim.start()
        serial = wait_for("every instance to hold faulty", lambda: len(c.alive()) == 3 and
                          len(set(c.serials("faulty"))) == 1 and c.serials("faulty")[0], 200)
        # The restarted instance loads what the bucket holds; a read whose every attempt met a failing slot (the
        # fault counter is shared by the three instances) is retried on its next check (check_interval 10 s).
        wait_for("the restarted instance to hold web, kill and stall",
                 lambda: all(c.status(victim)[n]["serial"] for n in ("web", "kill", "stall")), 60)
    finally:
        c.emu.raw("DELETE", "/_emulator/faults")
    assert serial == check_bundle(c, "faulty")
    # Usually one order. When every retry of one OSS request lands on a failing slot (the fault counter is shared
    # by the three instances: seen under ASan), that attempt fails, backs off a minute and orders again: an
    # abandoned order, never a second certificate. So: exactly one certificate issued (no duplicate, and web/
    # kill/stall not re-issued), and one order per failed attempt at most.
    orders = c.pebble.orders_seen() - before
    issued = c.pebble.certificates_issued() - issued_before
    assert issued == 1, f"{issued} certificates issued for faulty (or web/kill/stall re-issued)"
    assert 1 <= orders <= 2, f"faulty ordered {orders} times"
    reqs = c.oss_requests()
    stores = [r for r in reqs if r["action"] == "PutObject" and r.get("key") == f"{PREFIX}/certificates/faulty.json"
              and r["status"] == 200]
    assert len(stores) == 1, f"faulty stored {len(stores)} times"
    faults = sum(1 for r in reqs if r["outcome"] == "fault:status503")
    assert faults >= 5, f"only {faults} injected faults fired"
    assert len(c.alive()) == 3, "an instance died"
    print(f"  4. OSS failing every 4th request but challenges ({faults} of {len(reqs)} failed): faulty ordered {orders}x, issued once, stored "
          f"once, serial {serial} on all 3 (restarted node{c.nodes.index(victim)} ordered nothing), "
          f"{time.time() - t0:.1f}s; OSS requests {count_ops(reqs)}")


def main():
    t_start = time.time()
    workdir = tempfile.mkdtemp(prefix="certman-cluster-")
    emu = Emulator()
    http_port = free_port()
    haproxy = None
    c = None
    try:
        with Pebble(http_port) as pebble:
            c = Cluster(workdir, emu, pebble)
            haproxy = start_haproxy(workdir, http_port, [n.port for n in c.nodes])
            scenario_startup_race(c, time.time())
            victim = scenario_kill_holder(c)
            scenario_stalled_holder(c)
            scenario_faults(c, victim)
            for i, node in enumerate(c.nodes):
                assert node.stop() == 0, f"node{i} did not exit cleanly"
                log = node.logs()
                assert SK not in log and "PRIVATE KEY" not in log, f"node{i} logged a secret"
                assert "critical" not in log.lower(), f"node{i}: {log[-2000:]}"
        print(f"cluster: OK in {time.time() - t_start:.1f}s")
    except Exception:
        print(f"work directory {workdir}; Pebble {c.pebble.dir if c else '-'}")
        for i, node in enumerate(c.nodes if c else []):
            print(f"--- node{i} log (tail) ---\n" + "\n".join(node.logs().splitlines()[-25:]))
        raise
    finally:
        for node in (c.nodes if c else []):
            if node.proc is not None:
                node.stop(sig=signal.SIGKILL)
        if haproxy and haproxy.poll() is None:
            haproxy.terminate()
            haproxy.wait(5)
        emu.stop()


if __name__ == "__main__":
    main()
