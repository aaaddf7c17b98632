"""One live pybis `Openbis` per connection: log in, log out, check, renew an expired session.

Every method here blocks (pybis does HTTP) and runs in a worker thread; `service.py` is
the asynchronous face. State changes take a lock because several threads (a browse call,
a download, a status poll) may use the same connection at once.

pybis is made safe for a multi-user server process here:
- it never reads or writes `~/.pybis/<host>.token` (one file per host, shared by every
  connection of the process, and readable by every notebook of the user);
- certificate checks are switched off per object, never through `urllib3.disable_warnings()`;
- an expired session is renewed once with the secret kept in memory, if there is one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import pybis
import requests

from ..errors import InvalidInput, LabError, LoginRequired, PermissionDenied
from ..scrub import Scrubber
from . import quiet
from .calls import is_session_gone
from .connections import AuthMethod, ConnectionSpec

T = TypeVar("T")
log = logging.getLogger(__name__)

#: What pybis raises when openBIS refuses a password or a token.
REJECTED_LOGIN_MESSAGES = ("login to openBIS failed", "Session is no longer valid")


class Status(str, Enum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    EXPIRED = "expired"
    UNREACHABLE = "unreachable"


class IsolatedOpenbis(pybis.Openbis):
    """pybis' Openbis without its token files (see the module docstring)."""

    def _get_saved_token(self) -> None:
        return None

    def _save_token_to_disk(self, os_home: str | None = None) -> str:
        raise RuntimeError("reana_openbis_lab never writes openBIS tokens to disk")


def new_openbis(spec: ConnectionSpec) -> IsolatedOpenbis:
    """A fresh, logged-out pybis object for `spec` (no network traffic)."""
    quiet.silence_pybis()
    openbis = IsolatedOpenbis(
        spec.url,
        verify_certificates=True,
        use_cache=True,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=spec.insecure_http,
    )
    if not spec.verify_certificates:
        openbis.verify_certificates = False
        quiet.accept_unverified_host(spec.host)
    return openbis


def _end_quietly(openbis: IsolatedOpenbis) -> None:
    """Log a replaced session out so it does not linger on the server; it is unusable anyway."""
    try:
        openbis.logout()
    except (ValueError, requests.exceptions.RequestException) as exc:
        log.debug("Ending a replaced openBIS session failed (%s)", type(exc).__name__)


class ConnectionSession:
    """The live state of one connection: its pybis object, its secret, its last status."""

    def __init__(self, spec: ConnectionSpec):
        self.spec = spec
        self._secret = spec.secret
        self._openbis: IsolatedOpenbis | None = None
        self._lock = threading.RLock()
        self.status = Status.DISCONNECTED
        self.last_error: str | None = None
        self.logged_in_as: str | None = None

    # ---- facts ------------------------------------------------------------------------
    @property
    def has_secret(self) -> bool:
        return bool(self._secret)

    @property
    def secret(self) -> str | None:
        """For `OpenbisService.secret_for_mount` only; never serialise it."""
        return self._secret

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
                username = openbis._get_username() or username
        except ValueError as exc:
            if any(m in str(exc) for m in REJECTED_LOGIN_MESSAGES):
                with self._lock:
                    self.last_error = "openBIS rejected the credentials"
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
        if openbis is not None and openbis.token:
            openbis.logout()

    def forget(self) -> None:
        """Drop session and secret without talking to openBIS (connection deleted or changed)."""
        with self._lock:
            self._openbis = None
            self._secret = None
            self.status = Status.DISCONNECTED
            self.logged_in_as = None

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
                self._set_status(Status.EXPIRED)
                if not self.spec.preset:
                    self._secret = None
        else:
            self._set_status(Status.EXPIRED)
        return self.status

    def mark_unreachable(self, message: str) -> None:
        with self._lock:
            if self._openbis is not None:
                self.status = Status.UNREACHABLE
            self.last_error = message

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

    def _live_openbis(self) -> IsolatedOpenbis:
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

    def _session_lost(self, openbis: IsolatedOpenbis, exc: ValueError) -> bool:
        if is_session_gone(exc):
            return True
        try:
            return not openbis.is_session_active()
        except (ValueError, requests.exceptions.RequestException):
            return False  # openBIS is failing altogether: report the original error

    def _renew(self, stale: IsolatedOpenbis) -> IsolatedOpenbis:
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

    def _login_required(self) -> LoginRequired:
        return LoginRequired(
            f"The openBIS session on {self.server} has expired: log in again",
            code="login_required",
        )
