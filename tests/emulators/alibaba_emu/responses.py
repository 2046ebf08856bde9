"""Response values shared by every emulated service: handlers return a Response, the server writes it."""
import json
import uuid
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0          # seconds to sleep before answering (slow fault), outside every lock


def request_id():
    return str(uuid.uuid4()).upper()


def json_response(status, obj, rid=None):
    rid = rid or obj.get("RequestId") or request_id()
    body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(status, body, {"Content-Type": "application/json;charset=utf-8", "x-acs-request-id": rid})


def rpc_error(status, code, message, host="slb.aliyuncs.com"):
    """The RPC error envelope of reference §1.6, with the newer gateways' Recommend link."""
    rid = request_id()
    return json_response(status, {"RequestId": rid, "HostId": host, "Code": code, "Message": message,
                                  "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code}, rid)


def text_response(status, text, content_type="text/plain"):
    return Response(status, text.encode(), {"Content-Type": content_type})


class RpcError(Exception):
    """Raised by SLB action handlers; turned into rpc_error() by the dispatcher."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message
