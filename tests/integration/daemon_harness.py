"""`certman run` as a daemon against Pebble (or a proxy in front of it) for the renewal tests: writes the
config, starts and stops the process by PID, reads storage, /status and /metrics, and drives passes of the
renewal loop with SIGHUP (a reload wakes the loop) instead of waiting for the check interval."""
import json
import os
import signal
import subprocess
import time
import urllib.request

from certman_harness import BIN, free_port, wait_port


class Daemon:
    def __init__(self, d, pebble, port, certs, extra="", directory=None):
        """certs: (name, domains) or (name, domains, {"key": toml value}) tuples."""
        self.d, self.pebble, self.port, self.admin = d, pebble, port, free_port()
        self.directory = directory or pebble.directory_url
        self.config = os.path.join(d, "certman.toml")
        self.socket = os.path.join(d, "certman.sock")  # the control socket (`certman renew/reload/status`)
        self.write(certs, extra)
        self.proc = None

    def write(self, certs, extra=""):
        with open(self.config, "w") as f:
            f.write(f'[server]\nlisten = "127.0.0.1:{self.port}"\n[admin]\nlisten = "127.0.0.1:{self.admin}"\n'
                    f'control_socket = "{self.socket}"\n'
                    f'[acme]\ndirectory = "{self.directory}"\nagree_tos = true\n'
                    f'trusted_ca = "{self.pebble.tls_ca}"\norder_timeout = "90s"\n'
                    f'[storage]\npath = "{self.d}/state"\n{extra}\n')
            for name, domains, *more in certs:
                f.write(f'[[certificate]]\nname = "{name}"\ndomains = {json.dumps(domains)}\n')
                for k, v in (more[0] if more else {}).items():
                    f.write(f"{k} = {json.dumps(v)}\n")

    def start(self):
        self.log = open(os.path.join(self.d, "certman.log"), "ab")
        self.proc = subprocess.Popen([BIN, "run", "-c", self.config], stdout=self.log, stderr=self.log)
        wait_port(self.port, proc=self.proc)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def logs(self):
        with open(os.path.join(self.d, "certman.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def metrics(self):
        return urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/metrics", timeout=5).read().decode()

    def status(self, name):
        doc = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/status", timeout=5).read())
        return next(c for c in doc["certificates"] if c["name"] == name)

    def _json(self, *parts):
        p = os.path.join(self.d, "state", *parts)
        if not os.path.exists(p):
            return None
        with open(p) as f:
            return json.load(f)

    def bundle(self, name):
        return self._json("certificates", name + ".json")

    def state(self, name):
        """The persisted renewal state (backoff, ARI window and poll time...)."""
        return self._json("state", name + ".json")

    def wait_for(self, pred, timeout=60, what="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if pred():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"certman exited ({self.proc.returncode}) waiting for {what}:\n{self.logs()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}:\n{self.logs()[-3000:]}")

    def reload_pass(self, names, timeout=15):
        """SIGHUP, then wait until the renewal loop has completed a decision for every certificate in `names`
        (its "checks" counter on /status went up): this proves a whole pass ran after the signal."""
        def stamp(n):
            try:
                return self.status(n)["checks"]
            except Exception:  # not listed yet, or the admin port is not up
                return None
        # A pass still running (the first one stores its bundle before it ends and counts the check last) would
        # move the counter without the SIGHUP pass having run, which then runs later, unsynchronized: wait for
        # each certificate's first pass to be counted before taking the stamps.
        self.wait_for(lambda: all((stamp(n) or 0) >= 1 for n in names), timeout=60,
                      what=f"the first pass over {names} to end")
        before = {n: stamp(n) for n in names}
        os.kill(self.proc.pid, signal.SIGHUP)
        self.wait_for(lambda: all(stamp(n) != before[n] for n in names), timeout=timeout, what=f"a pass over {names}")


def unix(rfc3339):
    return int(time.mktime(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)
