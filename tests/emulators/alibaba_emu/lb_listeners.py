"""ALB (2020-06-16) and NLB (2022-04-30) listener certificate actions (reference alibaba-cas-alb-nlb-alidns.md §3,
§4, §9): GetListenerAttribute, UpdateListenerAttribute, and the job polls (ALB ListAsynJobs, NLB GetJobStatus).

What is checked, as the services document it: the listener exists (ResourceNotFound.Listener / NLB
ResourceNotFound.listener); the certificate id is "<CertId>-<region>" of a CAS certificate in the listener's
region (ResourceNotFound.Certificate); NLB takes one server certificate (IllegalParamSize.certificateIds); an
update makes the listener Configuring for `configuring_seconds`, and another update meanwhile is refused with
IncorrectStatus.Listener (NLB: IncorrectStatus.listener); the job succeeds after `job_seconds`; a ClientToken
repeated with the same parameters returns the first JobId, with others IdempotenceSignatureMismatch.
Parameter placement mirrors the SDKs (§1.1): ALB takes everything in the query and no body; NLB writes take a
form body and a write parameter in the query is refused (the server's own rule is [unverified]; this is strict).
Listeners are added with POST /_emulator/listeners.
"""
import itertools
import threading
import uuid

from .responses import RpcError

NLB_WRITE = ("ListenerId", "RegionId", "CertificateIds.1", "ClientToken")


class Listeners:
    def __init__(self, product, clock, cas, faults):
        self.product = product            # "alb" | "nlb"
        self._clock, self._cas, self._faults = clock, cas, faults
        self._lock = threading.Lock()
        self.listeners = {}               # ListenerId → {"RegionId", "CertificateIds", "busy_until"}
        self.jobs = {}                    # JobId → {"done_at", "fail", "ListenerId"}
        self.tokens = {}                  # ClientToken → (params, JobId)
        self.configuring_seconds = 0.6
        self.job_seconds = 0.3
        self._ids = itertools.count(1)

    def _code(self, alb, nlb):
        return alb if self.product == "alb" else nlb

    def configure(self, obj):
        with self._lock:
            self.configuring_seconds = float(obj.get("configuring_seconds", self.configuring_seconds))
            self.job_seconds = float(obj.get("job_seconds", self.job_seconds))
            for l in obj.get("listeners", []):
                self.listeners[l["ListenerId"]] = {"RegionId": l.get("RegionId", "cn-hangzhou"),
                                                   "CertificateIds": list(l.get("CertificateIds", [])), "busy_until": 0}

    def referenced(self):
        """The CAS ids every listener references ("<id>-<region>" or a bare id), for CAS DeleteUserCertificate."""
        with self._lock:
            ids = [c for l in self.listeners.values() for c in l["CertificateIds"]]
        return {int(c.partition("-")[0]) for c in ids if c.partition("-")[0].isdigit()}

    def snapshot(self):
        with self._lock:
            now = self._clock.now()
            return {"listeners": [{"ListenerId": k, "RegionId": v["RegionId"], "CertificateIds": list(v["CertificateIds"]),
                                   "ListenerStatus": self._status(v, now)} for k, v in self.listeners.items()],
                    "jobs": len(self.jobs)}

    @staticmethod
    def _status(listener, now):
        return "Configuring" if now < listener["busy_until"] else "Running"

    def handle(self, action, query, form):
        """query, form: dicts of the received parameters."""
        if self.product == "alb" and form:
            raise RpcError(400, "InvalidParameter", "ALB parameters are sent in the query (emulator rule, SDK placement).")
        handler = {"GetListenerAttribute": self._get, "UpdateListenerAttribute": self._update,
                   "ListAsynJobs": self._alb_jobs if self.product == "alb" else None,
                   "GetJobStatus": self._nlb_job if self.product == "nlb" else None}.get(action)
        if handler is None:
            raise RpcError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        if self.product == "nlb" and action == "UpdateListenerAttribute":
            if any(k in query for k in NLB_WRITE):
                raise RpcError(400, "IllegalParam", "NLB UpdateListenerAttribute parameters belong in the form body.")
            params = form
        else:
            if form:
                raise RpcError(400, "IllegalParam", "%s parameters belong in the query." % action)
            params = query
        with self._lock:
            return handler(params)

    def _listener(self, params):
        lid = params.get("ListenerId", "")
        if not lid:
            raise RpcError(400, "MissingParameter", "The input parameter \"ListenerId\" is not supplied.")
        if lid not in self.listeners:
            raise RpcError(404, self._code("ResourceNotFound.Listener", "ResourceNotFound.listener"),
                           "The specified resource %s is not found." % lid)
        return lid, self.listeners[lid]

    def _get(self, params):
        lid, l = self._listener(params)
        out = {"ListenerId": lid, "ListenerStatus": self._status(l, self._clock.now())}
        if self.product == "alb":
            out["Certificates"] = [{"CertificateId": c} for c in l["CertificateIds"]]
        else:
            out["CertificateIds"] = list(l["CertificateIds"])
            out["ListenerProtocol"] = "TCPSSL"
        return out

    def _certificates(self, params, region):
        if self.product == "alb":
            ids = [v for k, v in sorted(params.items()) if k.startswith("Certificates.") and k.endswith(".CertificateId")]
        else:
            ids = [v for k, v in sorted(params.items()) if k.startswith("CertificateIds.")]
            if len(ids) > 1:
                raise RpcError(400, "IllegalParamSize.certificateIds", "you can only have one certificate id")
            if params.get("RegionId") != region:
                raise RpcError(400, "IllegalParam", "RegionId is missing or is not the listener's region.")
        for cid in ids:
            num, _, suffix = cid.partition("-")
            if suffix != region or not num.isdigit() or not self._cas.exists(int(num)):
                raise RpcError(400, "ResourceNotFound.Certificate", "The specified certificate %s is not found." % cid)
        return ids

    def _update(self, params):
        lid, l = self._listener(params)
        token = params.get("ClientToken", "")
        if token and token in self.tokens:
            seen, job_id = self.tokens[token]
            if seen != params:
                raise RpcError(400, "IdempotenceSignatureMismatch", "The ClientToken was used with other parameters.")
            return {"JobId": job_id}
        ids = self._certificates(params, l["RegionId"])
        now = self._clock.now()
        if now < l["busy_until"]:
            raise RpcError(400, self._code("IncorrectStatus.Listener", "IncorrectStatus.listener"),
                           "The status of listener [%s] is incorrect." % lid)
        fault = self._faults.take_kind(self.product, "failed_job")
        job_id = str(uuid.uuid4())
        self.jobs[job_id] = {"done_at": now + self.job_seconds, "fail": fault is not None, "ListenerId": lid}
        if fault is None and ids:
            l["CertificateIds"] = ids
        l["busy_until"] = now + self.configuring_seconds
        if token:
            self.tokens[token] = (dict(params), job_id)
        return {"JobId": job_id}

    def _job_status(self, job_id):
        job = self.jobs.get(job_id)
        if job is None:
            return None
        if self._clock.now() < job["done_at"]:
            return "Processing"
        return "Failed" if job["fail"] else "Succeeded"

    def _alb_jobs(self, params):
        ids = [v for k, v in params.items() if k.startswith("JobIds.")]
        jobs = []
        for jid in ids:
            status = self._job_status(jid)
            if status is not None:
                job = {"Id": jid, "ApiName": "UpdateListenerAttribute", "Status": status, "ResourceType": "listener",
                       "ResourceId": self.jobs[jid]["ListenerId"], "OperateType": "Update"}
                if status == "Failed":
                    job.update(ErrorCode="InternalError", ErrorMessage="Injected job failure.")
                jobs.append(job)
        return {"Jobs": jobs, "TotalCount": len(jobs)}

    def _nlb_job(self, params):
        status = self._job_status(params.get("JobId", ""))
        if status is None:
            raise RpcError(404, "ResourceNotFound.job", "The specified job is not found.")
        return {"Status": "processing" if status == "Processing" else status}
