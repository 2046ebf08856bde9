"""SLB/CLB OpenAPI 2014-05-15, the six actions certman uses (reference §2), over in-memory state seeded from the
--state JSON file. Handlers take the merged, already authenticated params and return the action's JSON object
(without RequestId) or raise RpcError. All state access goes through one lock."""
import copy
import random
import threading

from . import certs
from .clock import iso
from .responses import RpcError

LISTENER_DEFAULTS = {
    "BackendServerPort": 80, "Bandwidth": -1, "Status": "running", "SecurityStatus": "normal",
    "XForwardedFor": "on", "XForwardedFor_SLBIP": "off", "XForwardedFor_SLBID": "off", "XForwardedFor_proto": "off",
    "Scheduler": "wrr", "StickySession": "off", "StickySessionType": "", "CookieTimeout": 0, "Cookie": "",
    "HealthCheck": "on", "HealthCheckDomain": "", "HealthCheckURI": "/", "HealthyThreshold": 3,
    "UnhealthyThreshold": 3, "HealthCheckTimeout": 5, "HealthCheckInterval": 2, "HealthCheckConnectPort": 0,
    "HealthCheckHttpCode": "http_2xx", "ServerCertificateId": "", "CACertificateId": "", "VServerGroupId": "",
    "Gzip": "on", "AclId": "", "AclType": "", "AclStatus": "off", "RequestTimeout": 60, "IdleTimeout": 15,
    "TLSCipherPolicy": "tls_cipher_policy_1_0", "Description": "",
}
LB_DEFAULTS = {
    "LoadBalancerStatus": "active", "Address": "192.0.2.10", "AddressType": "internet", "AddressIPVersion": "ipv4",
    "NetworkType": "classic", "VpcId": "", "VSwitchId": "", "MasterZoneId": "", "SlaveZoneId": "",
    "PayType": "PayOnDemand", "InternetChargeType": "paybytraffic", "ResourceGroupId": "rg-emu",
    "CreateTime": "2024-01-01T00:00Z", "CreateTimeStamp": 1704067200000,
}
SETTABLE = ("ServerCertificateId", "Bandwidth", "StickySession", "StickySessionType", "CookieTimeout", "Cookie",
            "HealthCheck", "Description", "TLSCipherPolicy", "IdleTimeout", "RequestTimeout", "Gzip")


def _require(params, *names):
    for n in names:
        if not params.get(n):
            raise RpcError(400, "MissingParameter", "The input parameter \"%s\" that is mandatory for processing "
                           "this request is not supplied." % n)


class Slb:
    def __init__(self, state, clock, on_upload=lambda: None):
        self.region = state.get("region", "cn-hangzhou")
        self.uid = str(state.get("account_uid", "1231579085529123"))
        self._clock, self._on_upload = clock, on_upload
        self._lock = threading.Lock()
        self.lbs = {}
        for lb in state.get("load_balancers", []):
            rec = dict(LB_DEFAULTS, RegionId=self.region, **{k: v for k, v in lb.items() if k != "listeners"})
            rec["listeners"] = {int(l["ListenerPort"]): dict(LISTENER_DEFAULTS, **l) for l in lb.get("listeners", [])}
            self.lbs[rec["LoadBalancerId"]] = rec
        self.certs = {c["ServerCertificateId"]: self._cert_record(c) for c in state.get("server_certificates", [])}

    def _cert_record(self, c):
        now_ms = int(self._clock.now()) * 1000
        rec = {"ServerCertificateName": "", "Fingerprint": "", "CommonName": "", "SubjectAlternativeNames": [],
               "ExpireTimeStamp": now_ms + 90 * 86400000, "CreateTimeStamp": now_ms, "RegionId": self.region,
               "RegionIdAlias": self.region, "ResourceGroupId": "rg-emu", "IsAliCloudCertificate": 0,
               "AliCloudCertificateId": "", "AliCloudCertificateName": ""}
        rec.update(c)
        rec["ExpireTime"] = iso(rec["ExpireTimeStamp"] // 1000)
        rec["CreateTime"] = iso(rec["CreateTimeStamp"] // 1000)
        return rec

    def handle(self, action, params):
        fn = getattr(self, "_" + action, None) if action and action[0].isupper() else None
        if fn is None:
            raise RpcError(400, "InvalidAction.NotFound", "Specified api is not found, please check your url "
                           "and method.")
        _require(params, "RegionId")
        with self._lock:
            return fn(params)

    def _lb(self, params):
        _require(params, "LoadBalancerId")
        lb = self.lbs.get(params["LoadBalancerId"])
        if lb is None or params["RegionId"] != self.region:
            raise RpcError(404, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId does not exist.")
        return lb

    def _listener(self, params):
        lb = self._lb(params)
        _require(params, "ListenerPort")
        try:
            port = int(params["ListenerPort"])
        except ValueError:
            raise RpcError(400, "InvalidParameter", "The specified parameter ListenerPort is not valid.")
        if port not in lb["listeners"]:
            raise RpcError(404, "ListenerNotFound", "The specified resource does not exist.")
        return lb["listeners"][port]

    def _DescribeLoadBalancers(self, p):
        wanted = set(filter(None, p.get("LoadBalancerId", "").split(",")))
        lbs = [lb for lb in self.lbs.values() if lb["RegionId"] == p["RegionId"] and
               (not wanted or lb["LoadBalancerId"] in wanted) and
               p.get("LoadBalancerName", lb["LoadBalancerName"]) == lb["LoadBalancerName"]]
        page, size = int(p.get("PageNumber", 1)), int(p.get("PageSize", 50))
        if page < 1 or not 1 <= size <= 100:
            raise RpcError(400, "InvalidParameter", "The specified parameter PageSize is not valid.")
        shown = lbs[(page - 1) * size: page * size]
        items = [{k: v for k, v in lb.items() if k != "listeners"} for lb in shown]
        for it in items:
            it["RegionIdAlias"] = self.region
        return {"PageNumber": page, "PageSize": size, "TotalCount": len(lbs),
                "LoadBalancers": {"LoadBalancer": items}}

    def _DescribeLoadBalancerHTTPSListenerAttribute(self, p):
        out = {k: v for k, v in self._listener(p).items() if k not in ("DomainExtensions", "Rules")}
        out["Rules"] = {"Rule": []}
        out["DomainExtensions"] = {"DomainExtension": self._listener(p).get("DomainExtensions", [])}
        return out

    def _DescribeServerCertificates(self, p):
        items = [self._public(c) for c in self.certs.values() if c["RegionId"] == p["RegionId"] and
                 p.get("ServerCertificateId", c["ServerCertificateId"]) == c["ServerCertificateId"]]
        return {"ServerCertificates": {"ServerCertificate": items}}

    def _public(self, c):
        out = {k: v for k, v in c.items() if not k.startswith("_")}
        out["SubjectAlternativeNames"] = {"SubjectAlternativeName": list(c["SubjectAlternativeNames"])}
        return out

    def _UploadServerCertificate(self, p):
        if p.get("AliCloudCertificateId"):
            raise RpcError(400, "InvalidParameter", "The emulator does not model CAS certificates.")
        chain = certs.parse_chain(p.get("ServerCertificate", ""))
        key = certs.parse_key(p.get("PrivateKey", ""))
        certs.check_pair(chain, key)
        f = certs.facts(chain[0])
        name = p.get("ServerCertificateName") or f["CommonName"]   # the real service defaults to the CN
        if p.get("ServerCertificateName"):
            certs.check_name(name)
        now = int(self._clock.now())
        cid = "%s_%x_%d_%d" % (self.uid, now * 1000, random.randrange(10**9, 2 * 10**9),
                               random.randrange(10**8, 10**9))
        rec = self._cert_record({"ServerCertificateId": cid, "ServerCertificateName": name,
                                 "Fingerprint": f["Fingerprint"], "CommonName": f["CommonName"],
                                 "SubjectAlternativeNames": f["SubjectAlternativeNames"],
                                 "ExpireTimeStamp": f["expires"] * 1000, "CreateTimeStamp": now * 1000,
                                 "_chain_length": len(chain)})
        self.certs[cid] = rec
        self._on_upload()
        return self._public(rec)

    def _SetLoadBalancerHTTPSListenerAttribute(self, p):
        listener = self._listener(p)
        cid = p.get("ServerCertificateId")
        if cid is not None and cid not in self.certs:
            raise RpcError(400, "InvalidParameter", "The specified ServerCertificateId does not exist.")
        if "Bandwidth" in p and not (p["Bandwidth"] == "-1" or p["Bandwidth"].isdigit() and
                                     1 <= int(p["Bandwidth"]) <= 5120):
            raise RpcError(400, "InvalidParameter", "The specified Bandwidth is invalid.")
        if p.get("StickySession") == "on":
            kind = p.get("StickySessionType")
            if kind not in ("insert", "server") or (kind == "insert" and not p.get("CookieTimeout")) or \
                    (kind == "server" and not p.get("Cookie")):
                raise RpcError(400, "InvalidParameter", "The specified parameter StickySessionType is not valid.")
        for k in SETTABLE:
            if k in p:
                try:
                    listener[k] = int(p[k]) if isinstance(LISTENER_DEFAULTS.get(k), int) else p[k]
                except ValueError:
                    raise RpcError(400, "InvalidParameter", "The specified parameter %s is not valid." % k)
        return {}

    def _DeleteServerCertificate(self, p):
        _require(p, "ServerCertificateId")
        cid = p["ServerCertificateId"]
        if cid not in self.certs:
            raise RpcError(400, "InvalidParameter", "The specified ServerCertificateId does not exist.")
        for lb in self.lbs.values():
            for listener in lb["listeners"].values():
                used = [listener.get("ServerCertificateId")] + [d.get("ServerCertificateId") for d in
                                                                listener.get("DomainExtensions", [])]
                if cid in used:
                    raise RpcError(400, "CertificateAndPrivateKeyIsRefered",
                                   "The specified ServerCertificate is referred by listener.")
        del self.certs[cid]
        return {}

    def snapshot(self):
        with self._lock:
            lbs = copy.deepcopy(list(self.lbs.values()))
            for lb in lbs:
                lb["listeners"] = list(lb["listeners"].values())
            return {"region": self.region, "load_balancers": lbs,
                    "server_certificates": [self._public(c) for c in self.certs.values()]}
