"""Alidns (Alibaba Cloud DNS, 2015-01-09) actions for DNS-01 (reference alibaba-cas-alb-nlb-alidns.md §6):
DescribeDomains, DescribeSubDomainRecords, AddDomainRecord, DeleteDomainRecord over a zone table from the state
file's "alidns" section ({"zones": ["example.test"]}). Every TXT record added or deleted is mirrored into
pebble-challtestsrv (the DNS the CA queries) through its management API when one is configured
(--challtestsrv or POST /_emulator/alidns {"challtestsrv": "http://127.0.0.1:PORT"}).
"""
import itertools
import json
import threading
import urllib.request

from .responses import RpcError

MAX_TTL = 86400


def _int(params, name, default, low, high):
    try:
        v = int(params.get(name, default))
    except ValueError:
        raise RpcError(400, "InvalidParameter", "The specified parameter %s is not valid." % name)
    if not low <= v <= high:
        raise RpcError(400, "InvalidParameter", "The specified parameter %s is not valid." % name)
    return v


class Alidns:
    def __init__(self, state, challtestsrv=""):
        self._lock = threading.Lock()
        self.zones = [z.lower().rstrip(".") for z in state.get("zones", [])]
        self.min_ttl = int(state.get("min_ttl", 600))      # Free edition (§6)
        self.records = {}                                    # RecordId → {DomainName, RR, Type, Value, TTL}
        self._ids = itertools.count(int(state.get("first_record_id", 100000000)))
        self.challtestsrv = challtestsrv
        self.history = []                                    # ("add"|"delete", fqdn, value, RecordId)

    def configure(self, obj):
        with self._lock:
            if "challtestsrv" in obj:
                self.challtestsrv = obj["challtestsrv"]
            if "zones" in obj:
                self.zones = [z.lower().rstrip(".") for z in obj["zones"]]

    def snapshot(self):
        with self._lock:
            return {"zones": list(self.zones), "records": [dict(r, RecordId=k) for k, r in self.records.items()],
                    "history": [list(h) for h in self.history]}

    def handle(self, action, params):
        handler = {"DescribeDomains": self._describe_domains, "DescribeSubDomainRecords": self._describe_sub,
                   "AddDomainRecord": self._add, "DeleteDomainRecord": self._delete}.get(action)
        if handler is None:
            raise RpcError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        with self._lock:
            return handler(params)

    def _zone(self, params):
        zone = params.get("DomainName", "").lower().rstrip(".")
        if not zone:
            raise RpcError(400, "MissingParameter", "The input parameter \"DomainName\" is not supplied.")
        if zone not in self.zones:
            raise RpcError(400, "IncorrectDomainUser", "The domain name does not belong to the user.")
        return zone

    def _describe_domains(self, params):
        page = _int(params, "PageNumber", 1, 1, 100000)
        size = _int(params, "PageSize", 20, 1, 100)
        chunk = self.zones[(page - 1) * size:page * size]
        return {"TotalCount": len(self.zones), "PageNumber": page, "PageSize": size,
                "Domains": {"Domain": [{"DomainName": z, "PunyCode": z, "DomainId": "d-" + z} for z in chunk]}}

    def _describe_sub(self, params):
        sub = params.get("SubDomain", "").lower().rstrip(".")
        zone = self._zone(params) if params.get("DomainName") else next(
            (z for z in self.zones if sub == z or sub.endswith("." + z)), None)
        if zone is None:
            raise RpcError(400, "IncorrectDomainUser", "The domain name does not belong to the user.")
        size = _int(params, "PageSize", 20, 1, 100)
        rr = "@" if sub == zone else sub[:-(len(zone) + 1)]
        found = [dict(r, RecordId=k) for k, r in self.records.items()
                 if r["DomainName"] == zone and r["RR"] == rr and params.get("Type", r["Type"]) == r["Type"]]
        return {"TotalCount": len(found), "PageNumber": 1, "PageSize": size,
                "DomainRecords": {"Record": found[:size]}}

    def _add(self, params):
        zone = self._zone(params)
        for name in ("RR", "Type", "Value"):
            if not params.get(name):
                raise RpcError(400, "MissingParameter", "The input parameter \"%s\" is not supplied." % name)
        ttl = _int(params, "TTL", 600, 1, MAX_TTL)
        if ttl < self.min_ttl:
            raise RpcError(400, "InvalidParameter", "The specified parameter TTL is not valid.")
        rr, rtype, value = params["RR"].lower(), params["Type"], params["Value"]
        for r in self.records.values():
            if (r["DomainName"], r["RR"], r["Type"], r["Value"]) == (zone, rr, rtype, value):
                raise RpcError(400, "DomainRecordDuplicate", "The domain record is duplicated.")
        rid = str(next(self._ids))
        self.records[rid] = {"DomainName": zone, "RR": rr, "Type": rtype, "Value": value, "TTL": ttl,
                             "Line": params.get("Line", "default"), "Status": "ENABLE", "Locked": False}
        self.history.append(("add", self._fqdn(zone, rr), value, rid))
        if rtype == "TXT":
            self._mirror(zone, rr)
        return {"RecordId": rid}

    def _delete(self, params):
        rid = params.get("RecordId", "")
        r = self.records.pop(rid, None)
        if r is None:
            raise RpcError(400, "DomainRecordNotBelongToUser", "The DNS record does not belong to the user.")
        self.history.append(("delete", self._fqdn(r["DomainName"], r["RR"]), r["Value"], rid))
        if r["Type"] == "TXT":
            self._mirror(r["DomainName"], r["RR"])
        return {"RecordId": rid}

    @staticmethod
    def _fqdn(zone, rr):
        return zone if rr == "@" else rr + "." + zone

    def _mirror(self, zone, rr):
        """challtestsrv holds the name's TXT values as a list: clear it, then set what the zone now has."""
        if not self.challtestsrv:
            return
        host = self._fqdn(zone, rr) + "."
        self._post("/clear-txt", {"host": host})
        for r in self.records.values():
            if r["DomainName"] == zone and r["RR"] == rr and r["Type"] == "TXT":
                self._post("/set-txt", {"host": host, "value": r["Value"]})

    def _post(self, path, obj):
        req = urllib.request.Request(self.challtestsrv + path, data=json.dumps(obj).encode(), method="POST")
        urllib.request.urlopen(req, timeout=5).read()
