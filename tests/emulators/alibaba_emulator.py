#!/usr/bin/env python3
"""Alibaba Cloud emulator for certman's integration tests: SLB/CLB OpenAPI 2014-05-15 with real RPC V1
signature checks, Alidns 2015-01-09, CAS 2020-04-07, ALB 2020-06-16 and NLB 2022-04-30 with real V3
(ACS3-HMAC-SHA256) checks, the ECS metadata service (RAM-role STS credentials), and an unsigned control API, all on one
HTTP port on loopback. Python 3 stdlib + python3-cryptography.

  python3 alibaba_emulator.py [--host 127.0.0.1] [--port 0] [--state fixtures/slb_state.json]
                              [--imds-mode optional|required] [--credential-ttl SECONDS]
                              [--challtestsrv http://127.0.0.1:MGMT_PORT]

The first line on stdout is "listening HOST:PORT". Routing: /_emulator/... → control; /latest/... → IMDS;
/<bucket>/<key> (or Host "<bucket>.anything" with /<key>) for a bucket named in the state's "oss" section → OSS
(V4-signed; alibaba_emu/oss.py); "/" with an x-acs-action header → by x-acs-version CAS, ALB or NLB
(alibaba_emu/lb_v3.py), else Alidns (V3-signed; alibaba_emu/alidns.py);
other "/" → SLB RPC (GET query or POST form).
Control API (JSON, unsigned):
  GET    /_emulator/state        listeners, certificates, OSS objects, keys, IMDS counters, faults, request log
  POST   /_emulator/faults       a fault object or a list of them (alibaba_emu/faults.py); DELETE clears them
  POST   /_emulator/clock        {"offset_seconds": N}: move the emulator's clock
  POST   /_emulator/imds         {"mode": "required", "credential_ttl": 30, "role": "..."}
  POST   /_emulator/access_keys  {"AccessKeyId": "...", "AccessKeySecret": "..."}
  POST   /_emulator/alidns       {"challtestsrv": "http://127.0.0.1:PORT", "zones": [...]}
  POST   /_emulator/listeners    {"product": "alb"|"nlb", "listeners": [{"ListenerId", "RegionId", "CertificateIds"}],
                                  "configuring_seconds": 0.6, "job_seconds": 0.3}
  POST   /_emulator/cas          {"region": "cn-hangzhou", "bound": [CertId], "certificates": [{"Name", "Cert"}]}:
                                  the region of CertIdentifier, certificates bound outside the emulator (refused
                                  by DeleteUserCertificate), uploads seeded without checks (alibaba_emu/cas.py)
  DELETE /_emulator/requests     clear the request log
"""
import argparse
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from alibaba_emu.clock import Clock                                              # noqa: E402
from alibaba_emu.faults import Faults                                            # noqa: E402
from alibaba_emu.imds import Imds                                                # noqa: E402
from alibaba_emu.keys import KeyStore                                            # noqa: E402
from alibaba_emu.oss import Oss                                                  # noqa: E402
from alibaba_emu.acs3_auth import Acs3Auth                                        # noqa: E402
from alibaba_emu.alidns import Alidns                                            # noqa: E402
from alibaba_emu.cas import Cas                                                  # noqa: E402
from alibaba_emu.lb_listeners import Listeners                                   # noqa: E402
from alibaba_emu.responses import Response, RpcError, json_response, request_id, rpc_error, text_response  # noqa: E402
from alibaba_emu.rpc_auth import RpcAuth, merge_params                           # noqa: E402
from alibaba_emu.slb import Slb                                                  # noqa: E402
from alibaba_emu import control                                                  # noqa: E402

MAX_BODY = 1 << 20


class Emulator:
    """Everything the handler needs; one instance per process."""

    def __init__(self, state, args):
        self.clock = Clock()
        self.keys = KeyStore(self.clock)
        for k in state.get("access_keys", []):
            self.keys.add_static(k["AccessKeyId"], k["AccessKeySecret"])
        self.faults = Faults()
        self.slb = Slb(state, self.clock, on_upload=self.faults.note_upload)
        imds_cfg = dict(state.get("imds", {}), region=self.slb.region)
        if args.imds_mode:
            imds_cfg["mode"] = args.imds_mode
        if args.credential_ttl:
            imds_cfg["credential_ttl"] = args.credential_ttl
        self.imds = Imds(self.clock, self.keys, imds_cfg)
        self.auth = RpcAuth(self.clock, self.keys)
        self.oss = Oss(state.get("oss", {}), self.clock, self.keys, self.faults)
        self.alidns = Alidns(state.get("alidns", {}), args.challtestsrv or "")
        self.acs3 = Acs3Auth(self.clock, self.keys)
        self.cas = Cas(state.get("cas", {}).get("region", "cn-hangzhou"), clock=self.clock)
        self.alb = Listeners("alb", self.clock, self.cas, self.faults)
        self.nlb = Listeners("nlb", self.clock, self.cas, self.faults)
        self.cas.references = lambda: self.alb.referenced() | self.nlb.referenced()
        # V3 products by x-acs-version (one port for all; the real services are told apart by host).
        self.v3 = {"2020-04-07": ("cas", Acs3Auth(self.clock, self.keys, "2020-04-07")),
                   "2020-06-16": ("alb", Acs3Auth(self.clock, self.keys, "2020-06-16")),
                   "2022-04-30": ("nlb", Acs3Auth(self.clock, self.keys, "2022-04-30"))}
        self.log_lock = threading.Lock()
        self.requests = []

    def log(self, service, action, status, outcome, key_id="", obj=None):
        entry = {"time": int(self.clock.now()), "service": service, "action": action, "status": status,
                 "outcome": outcome, "access_key_id": key_id}
        if obj is not None:
            entry["key"] = obj   # OSS: the object key, so tests can count writes per object
        with self.log_lock:
            self.requests.append(entry)

    def slb_request(self, method, query, body, content_type):
        params = merge_params(query, body, content_type)
        action = params.get("Action", "")
        key_id = params.get("AccessKeyId", "")
        try:
            self.auth.check(method, params)
            fault = self.faults.take("slb", action)
            delay = 0.0
            if fault is not None and fault["kind"] == "slow":
                delay = float(fault.get("seconds", 1))
            elif fault is not None and fault["kind"] == "status503":
                self.log("slb", action, 503, "fault:status503", key_id)
                return text_response(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                                     "text/html")
            elif fault is not None:
                raise RpcError(fault["status"], fault["code"], fault["message"])
            result = self.slb.handle(action, params)
        except RpcError as e:
            self.log("slb", action, e.status, e.code, key_id)
            return rpc_error(e.status, e.code, e.message)
        self.log("slb", action, 200, "ok", key_id)
        resp = json_response(200, {"RequestId": request_id(), **result})
        resp.delay = delay
        return resp


    def alidns_request(self, method, query, headers, body):
        """A V3-signed Alidns call: the action in x-acs-action, the parameters in the query."""
        action = headers.get("x-acs-action", "")
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        key_id = ""
        try:
            key_id = self.acs3.check(method, query, headers, body)
            fault = self.faults.take("alidns", action)
            if fault is not None and fault["kind"] == "status503":
                self.log("alidns", action, 503, "fault:status503", key_id)
                return text_response(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                                     "text/html")
            if fault is not None and fault["kind"] == "error":
                raise RpcError(fault["status"], fault["code"], fault["message"])
            if fault is not None and fault["kind"] == "patch" and fault.get("repeat_first_page"):
                params = dict(params, PageNumber="1")
            result = self.alidns.handle(action, params)
            if fault is not None and fault["kind"] == "patch":
                result.update(fault.get("patch", {}))
        except RpcError as e:
            self.log("alidns", action, e.status, e.code, key_id)
            return rpc_error(e.status, e.code, e.message, host="alidns.aliyuncs.com")
        self.log("alidns", action, 200, "ok", key_id)
        resp = json_response(200, {"RequestId": request_id(), **result})
        if fault is not None and fault["kind"] == "slow":
            resp.delay = float(fault.get("seconds", 1))
        return resp


    def v3_request(self, method, query, headers, body):
        """A V3-signed CAS/ALB/NLB call, routed by x-acs-version (lb_v3.handle)."""
        from alibaba_emu import lb_v3
        return lb_v3.handle(self, method, query, headers, body)


def make_handler(emu):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "AlibabaEmulator/1.0"

        def log_message(self, fmt, *args):   # quiet: the request log is in /_emulator/state
            pass

        def _body(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n > MAX_BODY:
                raise ValueError("body too large")
            return self.rfile.read(n) if n else b""

        def _dispatch(self):
            try:
                body = self._body()
            except ValueError:
                return self._send(text_response(413, "Payload Too Large"))
            url = urllib.parse.urlsplit(self.path)
            if url.path.startswith("/_emulator/"):
                resp = control.handle(emu, self.command, url.path, body)
            elif url.path.startswith("/latest/"):
                resp = emu.imds.handle(self.command, url.path, self.headers)
                emu.log("imds", url.path, resp.status, "ok" if resp.status == 200 else "refused")
            elif emu.oss.route(self.headers.get("Host", ""), url.path) is not None:
                bucket, key = emu.oss.route(self.headers.get("Host", ""), url.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                key = urllib.parse.unquote(key)
                resp, op, outcome = emu.oss.handle(self.command, bucket, key, url.query, headers, body)
                emu.log("oss", op, resp.status, outcome, "", key)
            elif url.path == "/" and self.headers.get("x-acs-action") and self.headers.get("x-acs-version") in emu.v3:
                headers = {k.lower(): v for k, v in self.headers.items()}
                resp = emu.v3_request(self.command, url.query, headers, body)
            elif url.path == "/" and self.headers.get("x-acs-action"):
                headers = {k.lower(): v for k, v in self.headers.items()}
                resp = emu.alidns_request(self.command, url.query, headers, body)
            elif url.path == "/" and self.command in ("GET", "POST"):
                resp = emu.slb_request(self.command, url.query, body, self.headers.get("Content-Type", ""))
            else:
                resp = text_response(404, "Not Found")
            self._send(resp)

        def _send(self, resp: Response):
            if resp.delay:
                time.sleep(resp.delay)
            try:
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(resp.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True   # the client gave up (timeout) or was killed during a delay

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _dispatch

    return Handler


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--state", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "fixtures", "slb_state.json"))
    ap.add_argument("--imds-mode", choices=("optional", "required"))
    ap.add_argument("--credential-ttl", type=int, help="lifetime of IMDS STS credentials, seconds")
    ap.add_argument("--challtestsrv", help="pebble-challtestsrv management URL that Alidns TXT changes go to")
    args = ap.parse_args(argv)
    with open(args.state, encoding="utf-8") as f:
        state = json.load(f)
    emu = Emulator(state, args)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(emu))
    server.daemon_threads = True
    print("listening %s:%d" % server.server_address[:2], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
