"""One live pybis `Openbis` per connection: log in, log out, check, renew an expired session.

This runs in the lab worker process (`in_worker`), never in the Jupyter server's: every
method blocks (pybis does HTTP) and runs in a thread of a worker call; `service.py` is the
asynchronous face in the server. State changes take a lock because several threads (a
browse call, a download, a status poll) may use the same connection at once, and each
change is published (`on_change`) so that the server mirrors it.

pybis is made safe here:
- it never reads or writes `~/.pybis/<host>.token` and its requests go through the
  call's own HTTP session, with timeouts (`pybis_private`, `transport`);
- certificate checks are switched off per object, never through `urllib3.disable_warnings()`;
- an expired session is renewed once with the secret kept in memory, if there is one.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

import requests

from ..errors import InvalidInput, LabError, LoginRequired, PermissionDenied
from ..scrub import Scrubber
from .calls import is_session_gone
from .connections import AuthMethod, ConnectionSpec
from .pybis_private import isolated_openbis_class

T = TypeVar("T")
log = logging.getLogger(__name__)

#: What pybis raises when openBIS refuses a password or a token.
REJECTED_LOGIN_MESSAGES = ("login to openBIS failed", "Session is no longer valid")


class Status(str, Enum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    EXPIRED = "expired"
    UNREACHABLE = "unreachable"


#: The user part of an openBIS session token or PAT: `[$pat-]<user>-<timestamp>x<hex>`.
TOKEN_USER = re.compile(r"^(?:\$pat-)?(?P<user>.+)-[^-]*$")


@dataclass(frozen=True)
class SessionState:
    """What the server shows about a session (and mirrors from the worker)."""

    status: Status
    logged_in_as: str | None
    last_error: str | None
    has_secret: bool


def user_of_token(token: str | None) -> str | None:
    """Whose session a token is, as openBIS writes it into the token itself."""
    match = TOKEN_USER.match(token or "")
    return match.group("user") if match else None


def new_openbis(spec: ConnectionSpec) -> Any:
    """A fresh, logged-out pybis object for `spec` (no network traffic)."""
    openbis = isolated_openbis_class()(
        spec.url,
        verify_certificates=True,
        use_cache=True,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=spec.insecure_http,
    )
    if not spec.verify_certificates:
        openbis.verify_certificates = False
    return openbis


def _end_quietly(openbis: Any) -> None:
    """Log a replaced session out so it does not linger on the server; it is unusable anyway."""
    try:
        openbis.logout()
    except (ValueError, requests.exceptions.RequestException) as exc:
        log.debug("Ending a replaced openBIS session failed (%s)", type(exc).__name__)


class ConnectionSession:
    """The live state of one connection: its pybis object, its secret, its last status."""

    def __init__(
        self,
        spec: ConnectionSpec,
        *,
        secret: str | None = None,
        on_change: Callable[[SessionState], None] | None = None,
    ):
        self.spec = spec
        self._secret = secret or spec.secret
        self._openbis: Any = None
        self._lock = threading.RLock()
        self.status = Status.DISCONNECTED
        self.last_error: str | None = None
        self.logged_in_as: str | None = None
        self._on_change = on_change
        self._published = self.state

    # ---- facts ------------------------------------------------------------------------
    @property
    def has_secret(self) -> bool:
        return bool(self._secret)

    @property
    def secret(self) -> str | None:
        """For `OpenbisService.secret_for_mount` only; never serialise it."""
        return self._secret

    @property
    def state(self) -> SessionState:
        with self._lock:
            return SessionState(self.status, self.logged_in_as, self.last_error, self.has_secret)

    def publish(self) -> None:
        """Tell `on_change` about the state if it changed since it was last told."""
        state = self.state
        with self._lock:
            if state == self._published:
                return
            self._published = state
        if self._on_change is not None:
            self._on_change(state)

    @property
    def server(self) -> str:
        return f"openBIS at {self.spec.url}"

    def scrubber(self, *also: str | None) -> Scrubber:
        """Removes this connection's secrets, its session token and `also` (a secret being tried)."""
        token = self._openbis.token if self._openbis is not None else None
        return Scrubber([self._secret, self.spec.secret, token, *also])

    # ---- session lifecycle ------------------------------------------------------------------
    def login(
        self, secret: str | None = None, username: str | None = None, remember: bool = True
    ) -> None:
        """Open a new openBIS session; keep the secret in memory if openBIS accepted it.

        `remember=False` forgets the secret right away: nothing to renew an expired
        session with (the user logs in again) and nothing for the SSHFS mount.
        """
        secret = secret or self._secret
        username = username or self.spec.username
        if not secret:
            what = "password" if self.spec.auth is AuthMethod.PASSWORD else "personal access token"
            raise InvalidInput(
                f"A {what} is needed to log in to {self.server}",
                field="password" if self.spec.auth is AuthMethod.PASSWORD else "token",
            )
        if self.spec.auth is AuthMethod.PASSWORD and not username:
            raise InvalidInput("A user name is needed to log in", field="username")
        openbis = new_openbis(self.spec)
        try:
            if self.spec.auth is AuthMethod.PASSWORD:
                openbis.login(username, secret, save_token=False)
            else:
                openbis.set_token(secret, save_token=False)
                username = user_of_token(openbis.token) or username
        except ValueError as exc:
            if any(m in str(exc) for m in REJECTED_LOGIN_MESSAGES):
                with self._lock:
                    self.last_error = "openBIS rejected the credentials"
                self.publish()
                raise PermissionDenied(
                    f"openBIS rejected the credentials for {self.server}",
                    code="credentials_rejected",
                ) from None
            raise
        with self._lock:
            previous, self._openbis = self._openbis, openbis
            self._secret = secret if remember else self.spec.secret
            self.logged_in_as = username
            self.status = Status.CONNECTED
            self.last_error = None
        self.publish()
        if previous is not None and previous.token:
            _end_quietly(previous)

    def logout(self) -> None:
        """End the session; a user connection also forgets its secret (a preset keeps its own)."""
        with self._lock:
            openbis, self._openbis = self._openbis, None
            self.status = Status.DISCONNECTED
            self.logged_in_as = None
            self.last_error = None
            self._secret = self.spec.secret if self.spec.preset else None
        self.publish()
        if openbis is not None and openbis.token:
            openbis.logout()

    def forget(self) -> None:
        """Drop session and secret without talking to openBIS (connection deleted or changed)."""
        with self._lock:
            self._openbis = None
            self._secret = None
            self.status = Status.DISCONNECTED
            self.logged_in_as = None
        self.publish()

    def check(self) -> Status:
        """Ask openBIS whether the session lives; renew it when a secret is in memory."""
        with self._lock:
            openbis = self._openbis
        if openbis is None:
            return self.status
        if openbis.is_session_active():
            self._set_status(Status.CONNECTED)
        elif self._secret:
            try:
                self._renew(openbis)
            except PermissionDenied:
                if not self.spec.preset:
                    self._secret = None
                self._set_status(Status.EXPIRED)
        else:
            self._set_status(Status.EXPIRED)
        return self.status

    # ---- running work -----------------------------------------------------------------------
    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(openbis, *args, **kwargs)` with a live session; renews it once if it expired.

        `fn` may therefore run twice when openBIS dropped the session between two calls;
        the first attempt failed at its first request, so repeating it is safe.
        """
        openbis = self._live_openbis()
        try:
            return fn(openbis, *args, **kwargs)
        except LabError:
            raise
        except ValueError as exc:
            if not self._session_lost(openbis, exc):
                raise
            if not self._secret:
                self._set_status(Status.EXPIRED)
                raise self._login_required() from None
            openbis = self._renew(openbis)
        return fn(openbis, *args, **kwargs)

    def _live_openbis(self) -> Any:
        with self._lock:
            openbis = self._openbis
            status = self.status
        if openbis is not None:
            return openbis
        if self._secret:
            self.login()
            assert self._openbis is not None
            return self._openbis
        if status is Status.EXPIRED:
            raise self._login_required()
        raise LoginRequired(f"Not logged in to {self.server}: log in first", code="login_required")

    def _session_lost(self, openbis: Any, exc: ValueError) -> bool:
        if is_session_gone(exc):
            return True
        try:
            return not openbis.is_session_active()
        except (ValueError, requests.exceptions.RequestException):
            return False  # openBIS is failing altogether: report the original error

    def _renew(self, stale: Any) -> Any:
        """Log in again unless another thread already did since `stale` failed."""
        with self._lock:
            if self._openbis is not None and self._openbis is not stale:
                return self._openbis
            self.login()
            assert self._openbis is not None
            return self._openbis

    def _set_status(self, status: Status) -> None:
        with self._lock:
            self.status = status
            if status is Status.CONNECTED:
                self.last_error = None
            if status is Status.EXPIRED:
                self._openbis = None
        self.publish()

    def _login_required(self) -> LoginRequired:
        return LoginRequired(
            f"The openBIS session on {self.server} has expired: log in again",
            code="login_required",
        )
