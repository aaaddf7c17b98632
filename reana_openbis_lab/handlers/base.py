"""The one base class and decorator every route uses: auth, JSON in/out, error mapping.

`endpoint` wraps each verb with jupyter_server's `authenticated` and `authorized`
decorators (mutations are XSRF-checked by APIHandler itself) and translates domain
errors to HTTP. STATUS_FOR is the only place where a domain error gets a status code.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web

from .. import errors
from ..services import Services

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

#: Largest JSON body a route accepts; uploads of file content use their own streamed routes.
MAX_JSON_BODY = 8 * 1024 * 1024


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


def endpoint(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Decorate every HTTP verb of every handler with this, and nothing else."""

    @functools.wraps(method)
    async def translated(self: ApiHandler, *args: Any, **kwargs: Any) -> None:
        try:
            await method(self, *args, **kwargs)
        except errors.LabError as exc:
            raise ApiError(status_for(exc), exc.message, exc.field, exc.code, exc.details) from None

    return web.authenticated(authorized(translated))


class ApiHandler(APIHandler):
    """Base of all handlers of this extension."""

    auth_resource = "reana_openbis_lab"

    @property
    def services(self) -> Services:
        return self.settings["reana_openbis_lab"]

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 that says why it is not one."""
        raw = self.request.body or b""
        if len(raw) > MAX_JSON_BODY:
            raise ApiError(413, "Request body is too large")
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "Request body is not valid JSON", field="body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Request body must be a JSON object", field="body")
        return body

    def query(self, name: str, default: str | None = None) -> str | None:
        return self.get_query_argument(name, default)

    def query_int(self, name: str, default: int, *, minimum: int = 0, maximum: int = 10_000) -> int:
        raw = self.get_query_argument(name, None)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError(400, f"'{name}' must be an integer", field=name) from None
        if not minimum <= value <= maximum:
            raise ApiError(400, f"'{name}' must be between {minimum} and {maximum}", field=name)
        return value

    def write_json(self, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

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
        self.finish(json.dumps(reply))

    def get_json_or_400(
        self, body: dict[str, Any], key: str, kind: type, *, required: bool = True
    ) -> Any:
        """Read one typed field from a JSON body; a wrong or missing one names itself in the 400."""
        if key not in body or body[key] is None:
            if required:
                raise ApiError(400, f"'{key}' is required", field=key)
            return None
        value = body[key]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise ApiError(400, f"'{key}' must be of type {kind.__name__}", field=key)
        return value


Route = tuple[str, type[ApiHandler]]
