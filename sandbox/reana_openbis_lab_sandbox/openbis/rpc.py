"""JSON-RPC 2.0 over POST, the way openBIS's jsonrpc4j endpoint answers.

Every reply is HTTP 200, also for server-side failures, which travel in an `error`
object whose `data.exceptionTypeName` names the Java exception class. Clients must read
the body, not the status: pybis turns `error.message` into a ValueError.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from ..faults import FaultInjectingHandler

log = logging.getLogger(__name__)

#: jsonrpc4j's reply type (openBIS serves its JSON-RPC APIs through it), not application/json.
JSON_RPC_CONTENT_TYPE = "application/json-rpc"

USER_FAILURE = "ch.systemsx.cisd.common.exceptions.UserFailureException"
INVALID_SESSION = "ch.systemsx.cisd.common.exceptions.InvalidSessionException"
OBJECT_NOT_FOUND = "ch.systemsx.cisd.common.exceptions.ObjectNotFoundException"
AUTHORIZATION_FAILURE = "ch.systemsx.cisd.common.exceptions.AuthorizationFailureException"


class RpcError(Exception):
    """A failure reported in the JSON-RPC error envelope."""

    def __init__(self, message: str, *, exception_type: str = USER_FAILURE, code: int = 0):
        super().__init__(message)
        self.message = message
        self.exception_type = exception_type
        self.code = code


def invalid_session() -> RpcError:
    return RpcError(
        "Session no longer available. Please login again.", exception_type=INVALID_SESSION
    )


def not_allowed(user: str, space_code: str) -> RpcError:
    """openBIS's answer when the user's role in the space is too weak for a write."""
    return RpcError(
        f"Authorization failure: None of method roles '[SPACE_USER, SPACE_POWER_USER, "
        f"SPACE_ADMIN, INSTANCE_ADMIN]' could be found in roles of user '{user}' "
        f"for space '{space_code}'.",
        exception_type=AUTHORIZATION_FAILURE,
    )


def not_found(id_type: str, value: str) -> RpcError:
    return RpcError(
        f"Object with {id_type} = [{value}] has not been found.", exception_type=OBJECT_NOT_FOUND
    )


class JsonRpcHandler(FaultInjectingHandler):
    """Dispatch `method` to `self.methods()[method](*params)`, run in a worker thread.

    Work runs off the event loop so one slow search never stalls file transfers that the
    same sandbox is streaming.
    """

    def methods(self) -> dict[str, Callable[..., Any]]:
        raise NotImplementedError

    async def post(self) -> None:
        body = await asyncio.to_thread(self.respond, self.request.body)
        self.set_header("Content-Type", JSON_RPC_CONTENT_TYPE)
        self.finish(body)

    def respond(self, raw: bytes) -> str:
        """The whole reply, serialised too: a 50 MB search result must not hold the loop."""
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            return _envelope(None, error=RpcError("Parse error", code=-32700))
        if not isinstance(request, dict):
            return _envelope(None, error=RpcError("Invalid request", code=-32600))
        request_id = request.get("id")
        method = self.methods().get(str(request.get("method")))
        params = request.get("params") or []
        if method is None:
            error = RpcError(f"method not found: {request.get('method')}", code=-32601)
            return _envelope(request_id, error=error)
        try:
            return _envelope(request_id, result=method(*params))
        except RpcError as exc:
            return _envelope(request_id, error=exc)
        except (TypeError, AttributeError, KeyError, ValueError) as exc:
            log.warning("openBIS sandbox: %s failed on its parameters", request.get("method"))
            error = RpcError(f"Invalid method parameters: {exc}", code=-32602)
            return _envelope(request_id, error=error)


def _envelope(request_id: Any, *, result: Any = None, error: RpcError | None = None) -> str:
    envelope: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is None:
        envelope["result"] = result
    else:
        envelope["error"] = {
            "code": error.code,
            "message": error.message,
            "data": {"exceptionTypeName": error.exception_type, "message": error.message},
        }
    return json.dumps(envelope)
