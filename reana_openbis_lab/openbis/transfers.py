"""What download and upload jobs share: their own worker thread, DSS HTTP sessions, errors.

Byte transfers to and from the openBIS data store run for minutes, so they do not take a
slot of the pybis call pool or of asyncio's default executor: each job gets a thread of
its own. When the job is cancelled the coroutine does not return until that thread has
stopped (see `streams`), so cleanup never races with a thread still writing into the
files being removed.

DSS URLs carry the session token as `sessionID=`; urllib3 logs request lines at DEBUG
level, so transfers install the shared scrubber's filter on the HTTP loggers first.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests

from .. import transfer_threads
from ..errors import LabError, UpstreamError, UpstreamTimeout
from ..jobs import Progress
from ..paths import local_problem
from . import http_timeouts
from .calls import translate

if TYPE_CHECKING:
    from .session import ConnectionSession

T = TypeVar("T")


def live_token(openbis: Any) -> str:
    """The session token for direct data store requests, after making sure it still works.

    Run through `ConnectionSession.run`, the one renewal path of a connection: a ValueError
    saying the session is gone makes it log in again with the secret it holds and repeat
    this call, or, holding none, mark the connection expired and raise LoginRequired.
    """
    if not openbis.is_session_active():
        raise ValueError("Session no longer valid")
    return openbis.token


class TokenRefused(Exception):
    """The data store answered HTTP 401/403 to a transfer request carrying `token`."""

    def __init__(self, token: str, status: int):
        super().__init__(f"HTTP {status}")
        self.token = token
        self.status = status


class TokenSource:
    """The session token a transfer's own data store requests carry, for the whole transfer.

    The bytes bypass pybis, so an openBIS session that expires halfway through shows up as
    HTTP 401 on a data store request, in a transfer thread. `renew` then takes the same path
    as every pybis call of the connection (`ConnectionSession.run`): renewed with the held
    secret, or LoginRequired and the connection marked expired. Parallel streams refused at
    the same moment renew once: the first renews, the others get its token.
    """

    def __init__(self, session: ConnectionSession, token: str, read_timeout: float):
        self._session = session
        self._token = token
        self._lock = threading.Lock()
        self._read_timeout = read_timeout

    @property
    def http_timeout(self) -> tuple[float, float]:
        """(connect, read) seconds for each data store request of the transfer: the read
        timeout is the longest silence between two chunks (the configured `openbis_timeout`),
        not a limit on the whole transfer, which goes on as long as bytes arrive."""
        read = self._read_timeout
        return (min(http_timeouts.CONNECT_TIMEOUT, read), read)

    @property
    def token(self) -> str:
        return self._token

    def renew(self, refused: TokenRefused, what: str) -> str:
        """A token to retry with after `refused`; blocking (call it from the transfer thread).

        Raises LoginRequired (code login_required) when no secret is held, UpstreamError
        (code forbidden) when the session is alive and openBIS really refuses access.
        """
        with self._lock:
            if self._token != refused.token:
                return self._token
            try:
                token = self._session.run(live_token)
            except Exception as exc:
                raise translate(
                    exc, server=self._session.server, scrub=self._session.scrubber()
                ) from None
            if token == refused.token:
                raise UpstreamError(
                    f"openBIS refused access while {what} (HTTP {refused.status})",
                    code="forbidden",
                )
            self._token = token
            return token


class SessionRenewed(UpstreamError):
    """The session was renewed after bytes went to the old session's workspace: those bytes
    are out of reach of the new session, so the upload starts again under it. `sent` is what
    the abandoned attempt had counted (an upload.SentUpload)."""

    def __init__(self, sent: Any) -> None:
        super().__init__(
            "The openBIS session expired twice during this upload; upload it again",
            code="session_lost",
        )
        self.sent = sent


def with_renewal(tokens: TokenSource, what: str, send: Callable[[str], T]) -> T:
    """`send(token)`; once more with a renewed token when the data store refused the first."""
    try:
        return send(tokens.token)
    except TokenRefused as refused:
        token = tokens.renew(refused, what)
    try:
        return send(token)
    except TokenRefused as refused:
        raise UpstreamError(
            f"openBIS refused access while {what} (HTTP {refused.status})", code="forbidden"
        ) from None


def transfer_error(exc: BaseException, what: str, local: Path | None = None) -> LabError:
    """A message about the transfer, never the URL (it holds the session token); an OSError
    is the Jupyter server's disk failing on `local`, and is reported as such."""
    if isinstance(exc, LabError):
        return exc
    if isinstance(exc, requests.exceptions.Timeout):
        return UpstreamTimeout(f"openBIS stopped answering while {what}", code="upstream_timeout")
    if isinstance(exc, requests.exceptions.SSLError):
        return UpstreamError(
            f"The TLS certificate of the openBIS data store could not be verified while {what}",
            code="certificate_error",
        )
    if isinstance(
        exc, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)
    ):
        return UpstreamError(
            f"The connection to openBIS broke while {what}", code="connection_lost"
        )
    if isinstance(exc, requests.exceptions.RequestException):
        return UpstreamError(f"openBIS failed while {what} ({type(exc).__name__})")
    if isinstance(exc, OSError):  # the Jupyter server's disk, not openBIS: say so, and where
        return local_problem(exc, None, local)
    return UpstreamError(f"Unexpected failure while {what} ({type(exc).__name__})", code="internal")


def check_status(response: requests.Response, token: str, what: str) -> None:
    """Raise TokenRefused on 401/403 (the caller renews through its TokenSource and retries),
    UpstreamError on any other failure."""
    if response.status_code in (401, 403):
        raise TokenRefused(token, response.status_code)
    if not response.ok:
        raise UpstreamError(f"openBIS answered HTTP {response.status_code} while {what}")


async def run_in_own_thread(fn: Callable[[], T], progress: Progress, name: str) -> T:
    """Run blocking transfer work in a thread of its own (low priority, see
    `transfer_threads`); a cancelled job waits here until the thread has stopped. The thread
    sees the flag between chunks and stops with JobCancelled; work that completes before it
    notices stays completed (the job then reports done)."""
    return await transfer_threads.run_in_own_thread(fn, progress.cancel_event.set, name)


async def finish_despite_cancel(awaitable: Awaitable[T]) -> T:
    """For a step that cannot be taken back halfway (openBIS creating a dataset): a cancel
    arriving during it is too late, so the step completes and its result stands."""
    task = asyncio.ensure_future(awaitable)
    while True:
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                raise
