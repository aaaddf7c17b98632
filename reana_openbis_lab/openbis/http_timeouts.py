"""Give every HTTP request pybis makes a timeout, so no thread can wait forever.

pybis calls `requests.post/get` and `requests.Session()` without `timeout`: against a
server that accepts the connection and then never answers, the calling thread blocks for
ever. The asyncio side stops waiting after its own deadline, but the thread (and the
socket, and a worker slot) would stay stuck. Every requests call, whichever helper it goes
through, ends in `requests.Session.request`; we wrap that once and add a timeout when the
caller passed none and the request comes from pybis code (so other libraries in the
process keep their own behaviour).

The read timeout is the time the server may stay silent, not a limit on a whole transfer,
so a long download keeps going as long as bytes arrive. A thread running one of our calls
(`calls.run_with_deadline`) uses that call's deadline; threads pybis starts itself (upload
and download workers) use the process default.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import requests

#: Seconds to establish a TCP/TLS connection; a live server on any network does it in far less.
CONNECT_TIMEOUT = 15.0
#: How many frames above Session.request to look for pybis (requests' own helpers sit between).
_CALLER_DEPTH = 6
#: Position of `timeout` among Session.request's positional parameters after method and url.
_TIMEOUT_POSITION = 6

_lock = threading.Lock()
_state = threading.local()
_default_read_timeout = 300.0
_original_request: Any = None


def _called_from_pybis() -> bool:
    frame: FrameType | None = sys._getframe(2)
    for _ in range(_CALLER_DEPTH):
        if frame is None:
            return False
        module = frame.f_globals.get("__name__", "")
        if module == "pybis" or module.startswith("pybis."):
            return True
        frame = frame.f_back
    return False


def current_timeout() -> tuple[float, float]:
    read = getattr(_state, "read_timeout", None) or _default_read_timeout
    return (min(CONNECT_TIMEOUT, read), read)


def install(default_read_timeout: float) -> None:
    """Wrap requests once per process; later calls only update the default read timeout."""
    global _original_request, _default_read_timeout
    with _lock:
        _default_read_timeout = max(float(default_read_timeout), 1.0)
        if _original_request is not None:
            return
        original = requests.Session.request

        def request_with_timeout(
            self: requests.Session, method: Any, url: Any, *args: Any, **kwargs: Any
        ) -> Any:
            if (
                kwargs.get("timeout") is None
                and len(args) < _TIMEOUT_POSITION + 1
                and _called_from_pybis()
            ):
                kwargs["timeout"] = current_timeout()
            return original(self, method, url, *args, **kwargs)

        request_with_timeout.__wrapped__ = original  # type: ignore[attr-defined]
        requests.Session.request = request_with_timeout  # type: ignore[method-assign]
        _original_request = original


@contextmanager
def read_timeout(seconds: float) -> Iterator[None]:
    """Within this block, pybis requests made by the current thread wait at most `seconds`."""
    previous = getattr(_state, "read_timeout", None)
    _state.read_timeout = max(float(seconds), 0.1)
    try:
        yield
    finally:
        _state.read_timeout = previous
