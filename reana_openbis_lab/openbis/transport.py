"""The HTTP under every openBIS JSON-RPC request: our session, our timeouts, no prints.

pybis sends each request with a bare `requests.post` (no timeout, a new connection each
time) and prints the whole request, session token included, when openBIS answers with an
error. Our pybis objects (`pybis_private.IsolatedOpenbis`) hand their requests to `post`
here instead, and the project's own v3 requests (browsing, dataset details) come here
directly. So every openBIS request of the extension goes through a requests Session that
belongs to the call making it (`through`): with that call's deadline as read timeout, and
with connections its cancel can shut down (`worker.context.WorkContext.http_session`).

The answers keep pybis' meaning, which `calls.translate` reads: the `result` of a reply,
ValueError(openBIS' message) for an `error`, ValueError("general error while performing
post request. <status>:<reason>") for any other HTTP status, requests' own exceptions for
a connection that fails.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import requests

#: Seconds to establish a TCP/TLS connection; a live server on any network does it in far less.
CONNECT_TIMEOUT = 15.0
#: Read timeout of requests made outside `through` (none should be; a bound all the same).
DEFAULT_READ_TIMEOUT = 300.0
AS_V3 = "/openbis/openbis/rmi-application-server-v3.json"
DSS_V3 = "/datastore_server/rmi-data-store-server-v3.json"

_scope = threading.local()


def timeout_for(read: float) -> tuple[float, float]:
    """(connect, read) seconds: the read timeout is the longest silence of the server."""
    read = max(float(read), 0.1)
    return (min(CONNECT_TIMEOUT, read), read)


@contextlib.contextmanager
def through(session: requests.Session, read_timeout: float) -> Iterator[None]:
    """Within this block, openBIS requests of the calling thread use `session` and wait at
    most `read_timeout` seconds for each answer."""
    previous = getattr(_scope, "current", None)
    _scope.current = (session, timeout_for(read_timeout))
    try:
        yield
    finally:
        _scope.current = previous


def post(full_url: str, request: dict[str, Any], *, verify: bool | str) -> Any:
    """One JSON-RPC request; its `result`, or the exceptions pybis raises for the same answer."""
    request.setdefault("id", "2")
    request.setdefault("jsonrpc", "2.0")
    if request["params"][0] is None:
        raise ValueError("Your session expired, please log in again")
    current = getattr(_scope, "current", None)
    if current is None:
        with requests.Session() as session:
            return _post(session, timeout_for(DEFAULT_READ_TIMEOUT), full_url, request, verify)
    session, timeout = current
    return _post(session, timeout, full_url, request, verify)


def _post(
    session: requests.Session,
    timeout: tuple[float, float],
    full_url: str,
    request: dict[str, Any],
    verify: bool | str,
) -> Any:
    response = session.post(full_url, data=json.dumps(request), verify=verify, timeout=timeout)
    if not response.ok:
        raise ValueError(
            f"general error while performing post request. {response.status_code}:{response.reason}"
        )
    reply = response.json()
    if "error" in reply:
        error = reply["error"]
        raise ValueError(error.get("message") if isinstance(error, dict) else str(error))
    if "result" in reply:
        return reply["result"]
    raise ValueError("request did not return either result nor error")


def post_v3(openbis: Any, request: dict[str, Any]) -> Any:
    """A v3 request of our own to the application server of a logged-in pybis object."""
    return post(urljoin(openbis.url, AS_V3), request, verify=openbis.verify_certificates)


def post_dss_v3(openbis: Any, dss_url: str, request: dict[str, Any]) -> Any:
    """A v3 request of our own to a data store server (`dss_url`: its download URL)."""
    return post(urljoin(dss_url, DSS_V3), request, verify=openbis.verify_certificates)
