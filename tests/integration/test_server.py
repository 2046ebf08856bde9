"""Integration: the real certman binary's public and admin listeners on loopback (README.md "How it works")."""
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import BIN, Certman, free_port, http_get, parse_response, raw_request, wait_for, wait_port  # noqa: E402


class PublicRoutes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cm = Certman().start()

    @classmethod
    def tearDownClass(cls):
        cls.cm.stop()

    def test_health(self):
        status, h, body = http_get(self.cm.port, "/health")
        self.assertEqual((status, body), (200, b"OK"))
        self.assertTrue(h["content-type"].startswith("text/plain"))

    def test_head_has_no_body_but_length(self):
        raw = raw_request(self.cm.port, b"HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        status, h, body = parse_response(raw)
        self.assertEqual(status, 200)
        self.assertEqual(h["content-length"], "2")
        self.assertEqual(body, b"")

    def test_routes_and_methods(self):
        cases = [
            ("GET", "/.well-known/", 200), ("GET", "/.well-known/acme-challenge/missingtoken", 404),
            ("GET", "/", 404), ("GET", "/index.html", 404), ("POST", "/health", 405),
            ("DELETE", "/.well-known/acme-challenge/x", 405), ("GET", "/metrics", 404), ("GET", "/status", 404),
            ("GET", "/.well-known/acme-challenge/../../health", 404),
            ("GET", "/.well-known/acme-challenge/%2e%2e%2fhealth", 404),
            ("GET", "/.well-known/acme-challenge/..%2F..%2Fetc%2Fpasswd", 404),
        ]
        for method, path, want in cases:
            with self.subTest(method=method, path=path):
                status, h, body = http_get(self.cm.port, path, method=method)
                self.assertEqual(status, want)
                if want == 405:
                    self.assertEqual(h["allow"], "GET, HEAD")
        status, _, body = http_get(self.cm.port, "/.well-known/")
        self.assertIn(b"It works!", body)

    def test_keep_alive_and_pipelining(self):
        req = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        raw = raw_request(self.cm.port, req * 5 + b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(raw.count(b"HTTP/1.1 200 OK"), 5)
        self.assertEqual(raw.count(b"HTTP/1.1 404"), 1)

    def test_requests_after_connection_close_are_not_answered_and_no_reset(self):
        # The server closes after the "Connection: close" request; the pipelined bytes after it stay unread,
        # which must end in a clean FIN (a RST could destroy the answers already sent: ConnectionResetError).
        req = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
        close = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        raw = raw_request(self.cm.port, req * 2 + close + req * 50)
        self.assertEqual(raw.count(b"HTTP/1.1 200 OK"), 3)
        self.assertTrue(raw.endswith(b"Connection: close\r\n\r\nOK"), raw[-80:])

    def test_response_bytes_are_exact(self):
        raw = raw_request(self.cm.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(raw, b"HTTP/1.1 200 OK\r\nServer: certman\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              b"Content-Length: 2\r\nConnection: close\r\n\r\nOK")
        raw = raw_request(self.cm.port, b"DELETE /health HTTP/1.0\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.0 405 Method Not Allowed\r\n"), raw[:80])
        self.assertIn(b"\r\nAllow: GET, HEAD\r\n", raw)

    def test_http10_closes_by_default(self):
        raw = raw_request(self.cm.port, b"GET /health HTTP/1.0\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.0 200 OK"))
        self.assertTrue(raw.endswith(b"OK"))

    def test_oversized_headers_get_431(self):
        big = b"X-Filler: " + b"a" * 20000 + b"\r\n"
        raw = raw_request(self.cm.port, b"GET /health HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.1 431"), raw[:80])

    def test_request_bodies(self):
        small = b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        self.assertTrue(raw_request(self.cm.port, small).startswith(b"HTTP/1.1 405"))
        large = b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"a" * 100000
        self.assertTrue(raw_request(self.cm.port, large).startswith(b"HTTP/1.1 413"))

    def test_malformed_request_gets_400(self):
        raw = raw_request(self.cm.port, b"THIS IS NOT HTTP\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.1 400"), raw[:80])


class ManyIdleConnections(unittest.TestCase):
    def test_2000_idle_and_a_slow_client_do_not_delay_health(self):
        with Certman() as cm:
            idle = []
            for _ in range(2000):
                s = socket.create_connection(("127.0.0.1", cm.port))
                idle.append(s)
            slow = socket.create_connection(("127.0.0.1", cm.port))
            slow.sendall(b"GET /hea")  # and then nothing: a slowloris
            worst = 0.0
            for _ in range(50):
                t = time.perf_counter()
                status, _, _ = http_get(cm.port, "/health")
                worst = max(worst, time.perf_counter() - t)
                self.assertEqual(status, 200)
            # Generous bound, only to catch a server that blocks on idle sockets (it would take seconds).
            self.assertLess(worst, 1.0, f"slowest /health took {worst:.3f}s")
            for s in idle:
                s.close()
            slow.close()

    def test_header_deadline_drops_a_slow_client(self):
        cm = Certman()
        # shorter deadlines so the test is quick
        with open(cm.config) as f:
            text = f.read().replace("[server]\n", '[server]\nheader_timeout = "1s"\nidle_timeout = "2s"\n', 1)
        with open(cm.config, "w") as f:
            f.write(text)
        with cm:
            s = socket.create_connection(("127.0.0.1", cm.port))
            s.sendall(b"GET /health HTTP/1.1\r\n")
            s.settimeout(5)
            t = time.perf_counter()
            data = s.recv(100)  # the server closes the connection at the header deadline
            self.assertEqual(data, b"")
            self.assertLess(time.perf_counter() - t, 3.0)
            idle = socket.create_connection(("127.0.0.1", cm.port))
            idle.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            idle.settimeout(5)
            self.assertIn(b"200 OK", idle.recv(1000))
            t = time.perf_counter()
            self.assertEqual(idle.recv(100), b"")  # idle keep-alive deadline (a new connection has header_timeout)
            elapsed = time.perf_counter() - t
            self.assertGreater(elapsed, 1.5)
            self.assertLess(elapsed, 4.0)


class AdminListener(unittest.TestCase):
    def test_metrics_and_status(self):
        with Certman() as cm:
            http_get(cm.port, "/health")
            http_get(cm.port, "/nope")
            status, h, body = http_get(cm.admin_port, "/metrics")
            self.assertEqual(status, 200)
            text = body.decode()
            self.assertIn('certman_http_requests_total{listener="public",route="health",code="200"} 1', text)
            self.assertIn('certman_http_requests_total{listener="public",route="not_found",code="404"} 1', text)
            self.assertIn("certman_build_info{version=", text)
            self.assertIn("certman_process_start_time_seconds ", text)
            status, h, body = http_get(cm.admin_port, "/status")
            self.assertEqual(status, 200)
            self.assertEqual(h["content-type"], "application/json")
            import json
            doc = json.loads(body)
            self.assertIn("certificates", doc)
            self.assertEqual(http_get(cm.admin_port, "/health")[0], 404)

    def test_admin_refuses_a_public_address(self):
        cm = Certman()
        with open(cm.config) as f:
            text = f.read().replace(f'127.0.0.1:{cm.admin_port}', f'0.0.0.0:{cm.admin_port}')
        with open(cm.config, "w") as f:
            f.write(text)
        r = subprocess.run([BIN, "check-config", "-c", cm.config], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("[admin] listen: expected a loopback address", r.stderr)


class Lifecycle(unittest.TestCase):
    def test_sigterm_exits_0_quickly_even_with_open_connections(self):
        cm = Certman().start()
        keep = socket.create_connection(("127.0.0.1", cm.port))
        keep.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertIn(b"200 OK", keep.recv(1000))
        t = time.perf_counter()
        rc = cm.stop(signal.SIGTERM)
        elapsed = time.perf_counter() - t
        self.assertEqual(rc, 0)
        self.assertLess(elapsed, 3.0)
        keep.close()

    def test_sighup_reloads_and_keeps_old_config_when_new_is_bad(self):
        with Certman() as cm:
            with open(cm.config) as f:
                good = f.read()
            with open(cm.config, "w") as f:
                f.write(good + "\n[log]\nlevel = \"shouting\"\n")
            os.kill(cm.proc.pid, signal.SIGHUP)
            # The reload is logged when the daemon has handled the signal: wait for it (a fixed 0.5 s was too
            # short under ASan on a loaded machine), then check the process still serves.
            wait_for("the rejected reload", lambda: "reload rejected, keeping the running configuration" in cm.logs(), 15)
            self.assertEqual(http_get(cm.port, "/health")[0], 200)
            self.assertIn("level: expected one of trace|debug|info|warn|error", cm.logs())
            with open(cm.config, "w") as f:
                f.write(good + "\n[log]\nlevel = \"debug\"\n")
            os.kill(cm.proc.pid, signal.SIGHUP)
            wait_for("the applied reload", lambda: "configuration reloaded" in cm.logs(), 15)
            self.assertIsNone(cm.proc.poll())

    def test_port_in_use_exits_3_with_a_clear_message(self):
        with Certman() as a:
            b = Certman()
            with open(b.config) as f:
                text = f.read().replace(f"127.0.0.1:{b.port}", f"127.0.0.1:{a.port}")
            with open(b.config, "w") as f:
                f.write(text)
            r = subprocess.run([BIN, "run", "-c", b.config], capture_output=True, text=True, timeout=10)
            self.assertEqual(r.returncode, 3)
            self.assertIn("cannot listen on", r.stderr)


class CommandLine(unittest.TestCase):
    def test_version_help_and_usage_errors(self):
        r = subprocess.run([BIN, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("certman "))
        r = subprocess.run([BIN, "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        for sub in ("run", "check-config"):
            self.assertIn(sub, r.stdout)
        r = subprocess.run([BIN, "frobnicate"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)

    def test_check_config_example_and_errors(self):
        example = os.path.join(os.environ.get("CERTMAN_SOURCE", "."), "deploy/examples/certman.toml")
        r = subprocess.run([BIN, "check-config", "-c", example], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('listen = "0.0.0.0:8080"', r.stdout)
        r = subprocess.run([BIN, "check-config", "-c", "/nonexistent.toml"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot read the configuration file", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
