"""The sandboxes' request log lines, with the secrets clients put in query strings masked.

reana-client sends its token as `?access_token=`, pybis its session as `?sessionID=` on
DSS uploads and downloads; a user trying the demo may type a real token, so no log line may
carry one (the guide's rule). Tornado's own access and exception lines print the raw URI;
`log_request` (the Application's `log_function`) and `log_exception` replace them.
"""

from __future__ import annotations

import logging
from types import TracebackType

from tornado import web
from tornado.log import access_log, app_log, gen_log

#: Query names (lower case) whose values are secrets in what the sandboxes accept.
SECRET_NAMES = frozenset(
    {"access_token", "token", "sessionid", "sessiontoken", "session_token", "password"}
)
MASK = "***"


def scrub_uri(uri: str) -> str:
    """`uri` with the value of every secret query parameter replaced by `***`, the rest as sent."""
    path, sep, query = uri.partition("?")
    if not sep:
        return uri
    parts = []
    for part in query.split("&"):
        name, eq, _value = part.partition("=")
        secret = eq and name.lower() in SECRET_NAMES
        parts.append(f"{name}={MASK}" if secret else part)
    return f"{path}?{'&'.join(parts)}"


def request_summary(handler: web.RequestHandler) -> str:
    """Tornado's `METHOD URI (ip)` with the URI scrubbed."""
    request = handler.request
    return f"{request.method} {scrub_uri(request.uri or '')} ({request.remote_ip})"


def log_request(handler: web.RequestHandler) -> None:
    """Tornado's access line (same levels and shape), scrubbed: the `log_function` setting."""
    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    millis = 1000.0 * handler.request.request_time()
    access_log.log(level, "%d %s %.2fms", status, request_summary(handler), millis)


def log_exception(
    handler: web.RequestHandler,
    typ: type[BaseException] | None,
    value: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """Tornado's exception lines without the raw request (its repr carries the URI)."""
    if isinstance(value, web.HTTPError):
        message = value.get_message()
        if message:
            gen_log.warning("%d %s: %s", value.status_code, request_summary(handler), message)
        return
    app_log.error("Uncaught exception %s", request_summary(handler), exc_info=(typ, value, tb))
