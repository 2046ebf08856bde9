"""Fault injection, set through POST /_emulator/faults. A fault is a dict:

  {"action": "SetLoadBalancerHTTPSListenerAttribute", "code": "Throttling.User", "times": 2}
      answer the action (any action when "action" is absent) with that error envelope; "status" and "message"
      are optional (defaults per code below).
  {"kind": "slow", "seconds": 5[, "action": ..., "times": 1]}    delay the answer, then handle normally
  {"kind": "status503"[, "times": 1]}     a bare 503 with an HTML body, as a proxy in front of the API would send
  {"kind": "fail_after_upload"[, "code": ..., "times": 1]}
      armed by the next successful UploadServerCertificate, then fails the following
      SetLoadBalancerHTTPSListenerAttribute(s): the "crash between upload and listener update" case.
      Default code Forbidden.RAM (403), i.e. a policy that lacks the load balancer ARN.

  {"target": "alidns"|"cas"|"alb"|"nlb", "kind": "patch", "action": "DescribeDomains", "patch": {"TotalCount": 1000000000}}
      a hostile or broken service: the action runs normally, then its JSON answer is updated with "patch" (e.g.
      a TotalCount of 10^9, or a page that ignores PageNumber: {"PageNumber": 1} has no effect on the entries, so
      use "repeat_first_page": true to answer every page with page 1's entries).
  {"target": "oss", "kind": "tokens", "tokens": ["a", "b"]}
      ListObjectsV2 answers IsTruncated=true with NextContinuationToken the token after the one asked with in
      "tokens" (cycling; the first one for a first page).
  {"target": "alb"|"nlb", "kind": "failed_job"[, "times": 1]}
      the next UpdateListenerAttribute's async job ends Failed and leaves the listener's certificate as it was.

"target" selects the service: "slb" (default), "imds", "oss", "alidns", "cas", "alb" or "nlb" (error, slow and
status503 kinds). "times" defaults to 1; -1 means forever.
"key_contains": "..." (OSS only, optional) limits the fault to objects whose key contains that text, e.g.
{"target": "oss", "kind": "slow", "seconds": 30, "action": "PutObject", "key_contains": "challenges/"}.
"key_excludes": "..." (OSS only, optional) exempts objects whose key contains that text.
"every": N (optional) makes the fault apply to every Nth matching request only (the Nth, 2Nth, ...); the
others pass untouched and do not consume "times".
"""
import threading

DEFAULT_STATUS = {
    "Throttling": 400, "Throttling.User": 400, "Throttling.Api": 400, "Rejected.Throttling": 400,
    "ServiceUnavailable": 503, "InternalError": 500, "SystemBusy": 449, "ServiceIsStopping": 409,
    "Forbidden.RAM": 403, "Forbidden": 403,
}
DEFAULT_MESSAGE = {
    "Throttling.User": "Request was denied due to user flow control.",
    "ServiceUnavailable": "The request has failed due to a temporary failure of the server.",
    "InternalError": "The request processing has failed due to some unknown error.",
    "ServiceIsConfiguring": "The specified service is configuring.",
    "Forbidden.RAM": "User not authorized to operate on the specified resource.",
}


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, fault):
        if not isinstance(fault, dict):
            raise ValueError("a fault is a JSON object")
        f = dict(fault)
        f.setdefault("target", "slb")
        f.setdefault("times", 1)
        f.setdefault("kind", "error" if "code" in f else None)
        if f["kind"] == "failed_job":
            f["action"] = "FailedJob"
        if f["kind"] == "tokens":
            f["action"] = "ListObjectsV2"
        if f["kind"] not in ("error", "slow", "status503", "fail_after_upload", "failed_job", "patch", "tokens"):
            raise ValueError("unknown fault kind: %r" % (f["kind"],))
        if f["kind"] == "fail_after_upload":
            f.setdefault("code", "Forbidden.RAM")
            f["action"] = "SetLoadBalancerHTTPSListenerAttribute"
            f["armed"] = False
        if f["kind"] in ("error", "fail_after_upload"):
            f.setdefault("status", DEFAULT_STATUS.get(f["code"], 400))
            f.setdefault("message", DEFAULT_MESSAGE.get(f["code"], "Injected fault " + f["code"] + "."))
        with self._lock:
            self._faults.append(f)

    def clear(self):
        with self._lock:
            self._faults.clear()

    def snapshot(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def note_upload(self):
        """A successful UploadServerCertificate arms every fail_after_upload fault."""
        with self._lock:
            for f in self._faults:
                if f["kind"] == "fail_after_upload":
                    f["armed"] = True

    def take_kind(self, target, kind):
        """The first fault of `kind` for `target`, consumed once; None when there is none."""
        with self._lock:
            for f in self._faults:
                if f["target"] == target and f["kind"] == kind:
                    if f["times"] > 0:
                        f["times"] -= 1
                        if f["times"] == 0:
                            self._faults.remove(f)
                    return dict(f)
        return None

    def take(self, target, action, key=None):
        """The first matching fault, consumed once; None when nothing applies. key: the OSS object key."""
        with self._lock:
            for f in self._faults:
                if f["target"] != target or f.get("action") not in (None, action):
                    continue
                if f.get("key_contains") and f["key_contains"] not in (key or ""):
                    continue
                if f.get("key_excludes") and f["key_excludes"] in (key or ""):
                    continue
                if f["kind"] == "fail_after_upload" and not f["armed"]:
                    continue
                if f["kind"] == "failed_job":
                    continue
                if f.get("every"):
                    f["seen"] = f.get("seen", 0) + 1
                    if f["seen"] % int(f["every"]) != 0:
                        continue
                hit = dict(f)
                if f["times"] > 0:
                    f["times"] -= 1
                    if f["times"] == 0:
                        self._faults.remove(f)
                return hit
        return None
