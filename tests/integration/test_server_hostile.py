"""Integration: the public port under hostile input (the real certman binary on loopback).

- an endless chunk extension or trailer is answered 400 and closed, and the daemon's memory stays bounded
  (every connection's buffer is capped at max_header_bytes + max_body_bytes);
- ambiguous message framing (RFC 9112 §6.1, §6.3) is answered 400 (501 for an unknown transfer coding) and
  closed: the body is never parsed as a second request;
- connections that never send a byte hold their slot for header_timeout only, and at max_connections new
  connections wait for a slot (idle keep-alive connections are closed to make room) instead of being refused.
Bounds on memory are correctness bounds (bytes), not timings."""
import os
import select
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from certman_harness import Certman, http_get, raw_request  # noqa: E402

MiB = 1 << 20
CHUNKED_POST = b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
NEXT = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"


def proc_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def with_server_settings(cm, settings):
    with open(cm.config) as f:
        text = f.read().replace("[server]\n", "[server]\n" + settings, 1)
    with open(cm.config, "w") as f:
        f.write(text)
    return cm


def flood(port, prefix, total, result):
    """Sends prefix then 'a' bytes until `total` bytes are sent or the server stops reading; records what the
    server answered and whether it closed. Stops sending as soon as an answer arrives (as a client would)."""
    answer = b""
    sent = 0
    closed = False
    block = b"a" * 65536
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(10)
    try:
        s.sendall(prefix)
        while sent < total:
            r, _, _ = select.select([s], [], [], 0)
            if r:
                break
            sent += s.send(block)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading; its answer may still be queued here
    except socket.timeout:
        pass
    try:
        while True:
            c = s.recv(65536)
            if not c:
                closed = True
                break
            answer += c
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    except socket.timeout:
        pass
    finally:
        s.close()
    result.append((answer, closed, sent))


class EndlessChunkedRequests(unittest.TestCase):
    def run_flood(self, prefix):
        with Certman() as cm:
            self.assertEqual(http_get(cm.port, "/health")[0], 200)
            before = proc_kib(cm.proc.pid, "VmRSS")
            results = []
            threads = [threading.Thread(target=flood, args=(cm.port, prefix, 50 * MiB, results)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            peak = proc_kib(cm.proc.pid, "VmHWM")
            self.assertEqual(len(results), 4)
            for answer, closed, _ in results:
                self.assertTrue(answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:80])
                self.assertIn(b"Connection: close\r\n", answer)
                self.assertTrue(closed)
            # Four connections of at most max_header_bytes + max_body_bytes (24 KiB) each, plus the allocator's
            # slack: far below what the flood would take if the buffers grew with it (old code: ~64 MiB each).
            self.assertLess(peak - before, 32 * 1024, f"VmHWM grew from {before} KiB to {peak} KiB")
            self.assertEqual(http_get(cm.port, "/health")[0], 200)

    def test_endless_chunk_extension(self):
        self.run_flood(CHUNKED_POST + b"1;")

    def test_endless_trailer(self):
        self.run_flood(CHUNKED_POST + b"0\r\nX-T: ")


class Smuggling(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cm = Certman().start()

    @classmethod
    def tearDownClass(cls):
        cls.cm.stop()

    def test_ambiguous_framing_is_one_error_and_close(self):
        # The smuggled request rides in the body; one answer, then the connection closes.
        smuggled = NEXT
        cases = [
            ("TE gzip", b"Transfer-Encoding: gzip\r\n", 400),
            ("TE identity", b"Transfer-Encoding: identity\r\n", 400),
            ("TE chunked, gzip", b"Transfer-Encoding: chunked, gzip\r\n", 400),
            ("TE chunked twice", b"Transfer-Encoding: chunked, chunked\r\n", 400),
            ("TE gzip + CL", b"Transfer-Encoding: gzip\r\nContent-Length: %d\r\n" % len(smuggled), 400),
            ("CL + TE chunked", b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(smuggled), 400),
            ("TE chunked + CL", b"Transfer-Encoding: chunked\r\nContent-Length: %d\r\n" % len(smuggled), 400),
            ("CL differ", b"Content-Length: %d\r\nContent-Length: 0\r\n" % len(smuggled), 400),
            ("TE gzip, chunked", b"Transfer-Encoding: gzip, chunked\r\n", 501),
        ]
        for name, fields, status in cases:
            with self.subTest(name):
                raw = raw_request(self.cm.port, b"POST /health HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n" + smuggled)
                self.assertTrue(raw.startswith(b"HTTP/1.1 %d " % status), raw[:80])
                self.assertEqual(raw.count(b"HTTP/1.1 "), 1, raw)
                self.assertIn(b"Connection: close\r\n", raw)

    def test_transfer_encoding_in_http10(self):
        raw = raw_request(self.cm.port, b"POST /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + NEXT)
        self.assertTrue(raw.startswith(b"HTTP/1.1 400 "), raw[:80])
        self.assertEqual(raw.count(b"HTTP/1."), 1, raw)

    def test_well_framed_chunked_keeps_the_connection(self):
        raw = raw_request(self.cm.port, CHUNKED_POST + b"5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"
                          + b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.1 405 "), raw[:80])
        self.assertEqual(raw.count(b"HTTP/1.1 "), 2, raw)
        self.assertTrue(raw.endswith(b"\r\n\r\nOK"), raw[-40:])


class ConnectionCap(unittest.TestCase):
    def capped(self):
        cm = with_server_settings(Certman(), 'max_connections = 8\nheader_timeout = "1s"\nidle_timeout = "60s"\n')
        return cm.start()

    def test_silent_connections_are_closed_after_header_timeout(self):
        cm = self.capped()
        self.addCleanup(cm.stop)
        silent = [socket.create_connection(("127.0.0.1", cm.port)) for _ in range(8)]
        # The cap is reached: a probe waits in the listen queue until a silent connection is closed (1 s).
        status, _, body = http_get(cm.port, "/health")
        self.assertEqual((status, body), (200, b"OK"))
        for s in silent:
            s.settimeout(10)
            self.assertEqual(s.recv(100), b"")  # closed by the server, not held for idle_timeout (60 s)
            s.close()
        self.assertEqual(http_get(cm.port, "/health")[0], 200)
        # The pause is counted as such; nothing was refused.
        metrics = http_get(cm.admin_port, "/metrics")[2].decode()
        self.assertRegex(metrics, r'certman_http_listener_paused_total\{listener="public"\} [1-9]')
        self.assertNotIn('outcome="rejected"', metrics)

    def test_idle_keep_alive_connections_make_room(self):
        cm = self.capped()
        self.addCleanup(cm.stop)
        idle = []
        for _ in range(8):
            s = socket.create_connection(("127.0.0.1", cm.port))
            s.sendall(NEXT)
            s.settimeout(10)
            self.assertIn(b"200 OK", s.recv(1000))
            idle.append(s)
        # All 8 slots are idle keep-alive connections (idle_timeout 60 s): the server closes them for new ones.
        for _ in range(3):
            self.assertEqual(http_get(cm.port, "/health")[0], 200)
        closed = 0
        for s in idle:
            r, _, _ = select.select([s], [], [], 0.5)
            if r and s.recv(100) == b"":
                closed += 1
            s.close()
        self.assertGreaterEqual(closed, 1)

    def test_sigterm_while_waiting_for_a_slot_exits_0(self):
        cm = with_server_settings(Certman(), 'max_connections = 2\nheader_timeout = "30s"\n').start()
        held = [socket.create_connection(("127.0.0.1", cm.port)) for _ in range(3)]  # the third waits for a slot
        time.sleep(0.3)
        self.assertEqual(cm.stop(), 0)
        self.assertNotIn("Sanitizer", cm.logs())
        for s in held:
            s.close()

    def test_first_byte_deadline_is_header_timeout_and_keep_alive_is_idle_timeout(self):
        cm = with_server_settings(Certman(), 'header_timeout = "1s"\nidle_timeout = "3s"\n').start()
        self.addCleanup(cm.stop)
        fresh = socket.create_connection(("127.0.0.1", cm.port))
        used = socket.create_connection(("127.0.0.1", cm.port))
        used.sendall(NEXT)
        used.settimeout(10)
        self.assertIn(b"200 OK", used.recv(1000))
        fresh.settimeout(10)
        self.assertEqual(fresh.recv(100), b"")  # after ~1 s
        r, _, _ = select.select([used], [], [], 0)
        self.assertFalse(r, "the keep-alive connection must outlive header_timeout")
        self.assertEqual(used.recv(100), b"")  # after ~3 s
        fresh.close()
        used.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
