"""The one base class and decorator every route uses: auth, request checks, JSON out, errors.

`endpoint` wraps each verb with jupyter_server's `authenticated` and `authorized`
decorators (mutations are XSRF-checked by APIHandler itself), then checks the path,
query and body against the route's OpenAPI operation (`contract`) before the handler
runs, and translates domain errors to HTTP. STATUS_FOR is the only place where a domain
error gets a status code.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web

from .. import errors
from ..diagnostics import log_unexpected
from ..paths import local_problem
from ..services import Services
from .contract import Operation
from .typed import from_body

log = logging.getLogger(__name__)

STATUS_FOR: dict[type[errors.LabError], int] = {
    errors.InvalidInput: 400,
    errors.LoginRequired: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.UpstreamError: 502,
    errors.NotAvailable: 503,
    errors.UpstreamTimeout: 504,
}

#: The code of an error that carries none of its own (request checks, tornado's own errors).
DEFAULT_CODES = {400: "invalid_input", 413: "invalid_input", 500: "internal"}

#: Largest JSON body a route accepts (413 beyond); file content never travels as JSON.
MAX_JSON_BODY = 2 * 1024 * 1024
#: Bodies larger than this are parsed and checked off the event loop (about 5 ms of
#: schema checks on it at most).
OFF_LOOP_BODY = 32 * 1024


class ApiError(web.HTTPError):
    """An HTTPError that remembers which request field was at fault and a stable code."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        code: str | None = None,
        details: list[dict[str, str]] | None = None,
    ):
        super().__init__(status, "%s", message)
        self.message = message
        self.field = field
        self.code = code
        self.details = details


def status_for(exc: errors.LabError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_FOR:
            return STATUS_FOR[cls]
    return 500


H = TypeVar("H", bound="ApiHandler")


def endpoint(
    method: Callable[..., Awaitable[None]] | None = None, *, body: type | None = None
) -> Any:
    """Decorate every HTTP verb of every handler with this, and nothing else.

    `@endpoint(body=SomeRequest)` hands the verb its checked body as a `SomeRequest`
    (keyword `body`, see `typed`): handlers never read raw JSON.
    """
    if method is None:
        return functools.partial(endpoint, body=body)

    @functools.wraps(method)
    async def translated(self: ApiHandler, *args: Any, **kwargs: Any) -> None:
        try:
            await self.check_request(kwargs)
            if body is not None:
                kwargs["body"] = from_body(body, self._body)
            await method(self, *args, **kwargs)
        except errors.LabError as exc:
            raise ApiError(status_for(exc), exc.message, exc.field, exc.code, exc.details) from None
        except OSError as exc:
            # The Jupyter server's own disk failed where no domain code expected it: still a
            # local problem naming the place, not an anonymous 500.
            self.log.warning("reana_openbis_lab: local file system error: %s", exc.strerror)
            problem = local_problem(exc, self.services.root_dir)
            raise ApiError(status_for(problem), problem.message, code=problem.code) from None

    wrapped = web.authenticated(authorized(translated))
    wrapped.body_type = body  # type: ignore[attr-defined]
    return wrapped


async def checked_body(operation: Operation, raw: bytes) -> dict[str, Any]:
    """The body checked by `operation`; one over OFF_LOOP_BODY bytes in a thread.

    jsonschema is pure Python: a sound download naming 20,000 files takes it about 0.1 s,
    which on the loop would hold every other request of the server that long, while a
    thread hands the loop the GIL every few milliseconds. Hostile bodies are refused sooner
    still, by the counts `contract.parse_body` makes before parsing anything.
    """
    if len(raw) > OFF_LOOP_BODY:
        return await asyncio.to_thread(operation.check_body, raw)
    return operation.check_body(raw)


class ApiHandler(APIHandler):
    """Base of all handlers of this extension."""

    auth_resource = "reana_openbis_lab"
    #: Whether openapi.yaml documents this handler's operations (checked against them).
    documented = True

    @property
    def services(self) -> Services:
        return self.settings["reana_openbis_lab"]

    async def check_request(self, path_arguments: dict[str, str]) -> None:
        """Path, query and body against the route's OpenAPI operation: a 400 naming the field."""
        from . import request_contract

        if not self.documented:
            return
        operation = request_contract().operation(type(self), self.request.method.lower())
        operation.check_path(path_arguments)
        self._query = operation.check_query(self.request.query_arguments)
        raw = self.request.body or b""
        if len(raw) > MAX_JSON_BODY:
            raise ApiError(413, f"The request body is larger than {MAX_JSON_BODY} bytes", "body")
        self._body = await checked_body(operation, raw)

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        """Path and query values as text; bytes that are not UTF-8 are a 400 naming them."""
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            where = name or "path"
            raise ApiError(400, f"'{where}' is not UTF-8 text", field=where) from None

    def query(self, name: str) -> Any:
        """A query value, checked and converted (int, bool) as documented; else its default."""
        return self._query.get(name)

    def write_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """An uncaught exception goes to our (scrubbed) log with its traceback, not to
        `tornado.application`: a filter there would rewrite every extension's records."""
        if value is None or isinstance(value, web.HTTPError):
            super().log_exception(typ, value, tb)
            return
        log_unexpected(
            log, f"Uncaught exception in {self.request.method} {self.request.path}", value
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """JSON `{"message", "field"?, "code"?, "errors"?}`; never a traceback (it could carry secrets)."""
        self.set_header("Content-Type", "application/json")
        reply: dict[str, Any] = {"message": self._reason}
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, ApiError):
            reply["message"] = exc.message
            if exc.field:
                reply["field"] = exc.field
            if exc.code:
                reply["code"] = exc.code
            if exc.details:
                reply["errors"] = exc.details
        elif isinstance(exc, web.HTTPError) and exc.log_message:
            reply["message"] = exc.log_message % exc.args if exc.args else exc.log_message
        elif status_code >= 500:
            reply["message"] = "Internal error in the reana_openbis_lab server extension"
        if "code" not in reply and status_code in DEFAULT_CODES:
            reply["code"] = DEFAULT_CODES[status_code]
        self.finish(json.dumps(reply))


Route = tuple[str, type[ApiHandler]]
