"""The unsigned control API under /_emulator/ (documented in ../alibaba_emulator.py). Tests use it to read
state and the request log and to inject faults; it is never exposed beyond loopback."""
import json

from .responses import json_response


def _json(body):
    try:
        return json.loads(body or b"{}"), None
    except ValueError:
        return None, json_response(400, {"error": "body is not JSON"})


def handle(emu, method, path, body):
    route = (method, path.rstrip("/"))
    if route == ("GET", "/_emulator/state"):
        state = emu.slb.snapshot()
        with emu.log_lock:
            state["requests"] = list(emu.requests)
        state.update(faults=emu.faults.snapshot(), keys=emu.keys.snapshot(), imds=emu.imds.snapshot(),
                     oss=emu.oss.snapshot(), alidns=emu.alidns.snapshot(), cas=emu.cas.snapshot(),
                     alb=emu.alb.snapshot(), nlb=emu.nlb.snapshot(), clock_offset=emu.clock.offset, now=int(emu.clock.now()))
        return json_response(200, state, rid="control")
    if route == ("DELETE", "/_emulator/faults"):
        emu.faults.clear()
        return json_response(200, {"faults": []}, rid="control")
    if route == ("DELETE", "/_emulator/requests"):
        with emu.log_lock:
            emu.requests.clear()
        return json_response(200, {"requests": []}, rid="control")
    if method != "POST":
        return json_response(404, {"error": "no such control endpoint"}, rid="control")
    obj, err = _json(body)
    if err is not None:
        return err
    try:
        if route[1] == "/_emulator/faults":
            for f in obj if isinstance(obj, list) else [obj]:
                emu.faults.add(f)
            return json_response(200, {"faults": emu.faults.snapshot()}, rid="control")
        if route[1] == "/_emulator/clock":
            emu.clock.set_offset(obj.get("offset_seconds", 0))
            return json_response(200, {"clock_offset": emu.clock.offset}, rid="control")
        if route[1] == "/_emulator/imds":
            emu.imds.configure(obj)
            return json_response(200, emu.imds.snapshot(), rid="control")
        if route[1] == "/_emulator/alidns":
            emu.alidns.configure(obj)
            return json_response(200, emu.alidns.snapshot(), rid="control")
        if route[1] == "/_emulator/listeners":
            target = {"alb": emu.alb, "nlb": emu.nlb}[obj["product"]]
            target.configure(obj)
            return json_response(200, target.snapshot(), rid="control")
        if route[1] == "/_emulator/cas":
            emu.cas.configure(obj)
            return json_response(200, emu.cas.snapshot(), rid="control")
        if route[1] == "/_emulator/access_keys":
            emu.keys.add_static(obj["AccessKeyId"], obj["AccessKeySecret"])
            return json_response(200, emu.keys.snapshot(), rid="control")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        return json_response(400, {"error": str(e)}, rid="control")
    return json_response(404, {"error": "no such control endpoint"}, rid="control")
