"""Dispatch of V3-signed CAS, ALB and NLB calls (reference alibaba-cas-alb-nlb-alidns.md §1.1, §1.3): the product
is chosen by x-acs-version, the signature checked by that product's Acs3Auth, then the checks the gateway makes
on top: x-acs-content-sha256 equals the SHA-256 of the body received; a body comes with content-type
application/x-www-form-urlencoded, and that header is signed. Faults (faults.py) with target "cas", "alb" or
"nlb" apply before the action runs. Every call is logged as (service, action, status, outcome).
"""
import hashlib
import urllib.parse

from .responses import RpcError, json_response, request_id, rpc_error, text_response

FORM = "application/x-www-form-urlencoded"


def _form(headers, body):
    if not body:
        return {}
    if headers.get("content-type", "").split(";")[0].strip() != FORM:
        raise RpcError(400, "InvalidParameter", "A request body must be %s." % FORM)
    signed = headers.get("authorization", "").partition("SignedHeaders=")[2].split(",")[0].split(";")
    if "content-type" not in signed:
        raise RpcError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
    return dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def handle(emu, method, query, headers, body):
    service, auth = emu.v3[headers["x-acs-version"]]
    action = headers.get("x-acs-action", "")
    key_id = ""
    fault = None
    try:
        key_id = auth.check(method, query, headers, body)
        if headers.get("x-acs-content-sha256") != hashlib.sha256(body).hexdigest():
            raise RpcError(400, "InvalidParameter", "x-acs-content-sha256 is not the SHA-256 of the body.")
        form = _form(headers, body)
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        fault = emu.faults.take(service, action)
        if fault is not None and fault["kind"] == "status503":
            emu.log(service, action, 503, "fault:status503", key_id)
            return text_response(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                                 "text/html")
        if fault is not None and fault["kind"] == "error":
            raise RpcError(fault["status"], fault["code"], fault["message"])
        if fault is not None and fault["kind"] == "patch" and fault.get("repeat_first_page"):
            params = dict(params, CurrentPage="1", PageNumber="1")
        if service == "cas":
            if form:
                raise RpcError(400, "InvalidParameter", "CAS parameters are sent in the query (SDK placement).")
            result = emu.cas.handle(action, params)
        else:
            result = (emu.alb if service == "alb" else emu.nlb).handle(action, params, form)
        if fault is not None and fault["kind"] == "patch":
            result.update(fault.get("patch", {}))
    except RpcError as e:
        emu.log(service, action, e.status, e.code, key_id)
        return rpc_error(e.status, e.code, e.message, host=service + ".aliyuncs.com")
    emu.log(service, action, 200, "ok", key_id)
    resp = json_response(200, {"RequestId": request_id(), **result})
    if fault is not None and fault["kind"] == "slow":
        resp.delay = float(fault.get("seconds", 1))
    return resp
