"""`OpenbisService`: the one object the rest of the extension uses to reach openBIS.

Public API (used by the REST handlers, the transfer jobs and the SSHFS mount):

- `await service.call(name, fn, *args, timeout=None, **kwargs)` runs
  `fn(openbis: pybis.Openbis, *args, **kwargs)` in a private worker thread with the
  connection's logged-in pybis object. It never makes the event loop wait longer than
  `timeout` (default: the configured `openbis_timeout`) and raises UpstreamTimeout then.
  An expired session is renewed once when a secret is in memory, else LoginRequired
  (code "login_required"). Failures arrive as UpstreamError / PermissionDenied /
  NotFound / LoginRequired with messages free of secrets. `fn` may run twice if the
  session was renewed. Pass a long `timeout` for transfers: HTTP reads inside the call
  wait up to that long for the server to send something.
- `await service.token_source(name)` -> `TokenSource` for a transfer's own data store
  requests: a live token now, renewed through the same path when the data store refuses it.
- `service.get(name)` / `service.list()` -> `ConnectionInfo` (no secret, only `has_secret`).
- `service.secret_for_mount(name)` -> `MountCredentials` for sshfs; never serialise it.
- `await service.login/logout/status(name)`, `await service.add/update/delete(...)`.
- `await service.close()` at server stop: logs every session out, stops the workers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Conflict, InvalidInput, LabError, LoginRequired, NotFound, UpstreamTimeout
from ..paths import local_problem
from . import http_timeouts, quiet
from .calls import CallRunner, translate
from .connections import (
    AuthMethod,
    ConnectionChanges,
    ConnectionSpec,
    ConnectionStore,
    Login,
    NewConnection,
    spec_from_input,
    spec_updated,
)
from .session import ConnectionSession, Status
from .transfers import TokenSource, live_token

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Worker threads for all openBIS calls of the process (browsing, status, transfers).
DEFAULT_WORKERS = 16
#: Seconds a logout at server stop may take before we give up on it.
CLOSE_TIMEOUT = 5.0
#: Error codes (see calls.translate) that mean "openBIS cannot be talked to right now".
UNREACHABLE_CODES = ("unreachable", "certificate_error", "upstream_error")


@dataclass(frozen=True)
class ConnectionInfo:
    """What may be shown about a connection: everything except its secret."""

    name: str
    url: str
    host: str
    port: int | None
    verify_certificates: bool
    insecure_http: bool
    username: str | None
    auth: str
    preset: bool
    has_secret: bool
    status: str
    logged_in_as: str | None
    last_error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "verifyCertificates": self.verify_certificates,
            "insecureHttp": self.insecure_http,
            "username": self.username,
            "auth": self.auth,
            "preset": self.preset,
            "hasSecret": self.has_secret,
            "status": self.status,
            "loggedInAs": self.logged_in_as,
            "lastError": self.last_error,
        }


@dataclass(frozen=True)
class MountCredentials:
    """What sshfs needs: openBIS' SFTP server accepts the password or a session token/PAT."""

    host: str
    username: str
    password: str = field(repr=False)


class OpenbisService:
    """Connections (metadata persisted, secrets in memory) and blocking pybis work off the loop."""

    def __init__(
        self,
        store_path: Path,
        presets: list[ConnectionSpec],
        default_timeout: float,
        *,
        max_workers: int = DEFAULT_WORKERS,
        on_status: Callable[[str, str], None] = lambda name, status: None,
    ):
        if default_timeout <= 0:
            raise InvalidInput("openbis_timeout must be positive", field="openbis_timeout")
        self.default_timeout = float(default_timeout)
        self._store = ConnectionStore(store_path)
        self._runner = CallRunner(max_workers)
        self._write_lock = asyncio.Lock()
        self._on_status = on_status
        http_timeouts.install(self.default_timeout)
        quiet.silence_pybis()
        self._sessions: dict[str, ConnectionSession] = {
            p.name: ConnectionSession(p) for p in presets
        }
        for spec in self._store.load():
            if spec.name in self._sessions:
                log.warning(
                    "Ignoring saved openBIS connection %r: a preset has that name", spec.name
                )
                continue
            self._sessions[spec.name] = ConnectionSession(spec)

    # ---- reading ----------------------------------------------------------------------------
    def list(self) -> list[ConnectionInfo]:
        return [self._info(s) for s in sorted(self._sessions.values(), key=lambda s: s.spec.name)]

    def get(self, name: str) -> ConnectionInfo:
        return self._info(self._session(name))

    def secret_for_mount(self, name: str) -> MountCredentials:
        """Credentials for the SSHFS mount of `name`; LoginRequired when none are in memory."""
        session = self._session(name)
        secret = session.secret
        username = session.logged_in_as or session.spec.username
        if not secret or not username:
            kept = "kept in memory (log in again and let the server remember it)"
            reason = kept if session.status is Status.CONNECTED else "(log in first)"
            raise LoginRequired(
                f"Mounting {session.server} needs its password or token {reason}",
                code="login_required",
            )
        return MountCredentials(host=session.spec.host, username=username, password=secret)

    # ---- editing ------------------------------------------------------------------------------
    async def add(self, new: NewConnection) -> ConnectionInfo:
        spec = spec_from_input(new)
        async with self._write_lock:
            if spec.name in self._sessions:
                raise Conflict(f"A connection named {spec.name!r} already exists", field="name")
            self._sessions[spec.name] = ConnectionSession(spec)
            await self._persist()
        return self.get(spec.name)

    async def update(self, name: str, changes: ConnectionChanges) -> ConnectionInfo:
        async with self._write_lock:
            session = self._editable(name, "changed")
            spec = spec_updated(session.spec, changes)
            if spec != session.spec:
                session.forget()
                self._sessions[name] = ConnectionSession(spec)
                await self._persist()
        return self.get(name)

    async def delete(self, name: str) -> None:
        async with self._write_lock:
            session = self._editable(name, "deleted")
            del self._sessions[name]
            await self._persist()
        await self._logout_quietly(session)

    # ---- sessions --------------------------------------------------------------------------------
    async def login(self, name: str, form: Login) -> ConnectionInfo:
        """Log in with the form's secret, or the one held; `remember=False` keeps no secret
        (no silent renewal, no mount)."""
        session = self._session(name)
        secret = self._secret_from(session.spec.auth, form)
        await self._run(
            session,
            self.default_timeout,
            session.login,
            secret,
            form.username or None,
            form.remember,
            _scrub=secret,
        )
        return self._info(session)

    @staticmethod
    def _secret_from(auth: AuthMethod, form: Login) -> str | None:
        """The secret the connection's auth method takes; sending the other kind is a 400."""
        expected, other = (
            (form.token, form.password) if auth is AuthMethod.TOKEN else (form.password, form.token)
        )
        if other is not None:
            kind = (
                "a personal access token"
                if auth is AuthMethod.TOKEN
                else "a user name and password"
            )
            wrong = "password" if auth is AuthMethod.TOKEN else "token"
            raise InvalidInput(f"This connection logs in with {kind}", field=wrong)
        return expected or None

    async def logout(self, name: str) -> ConnectionInfo:
        """Forget the session here at once; telling openBIS is best effort (it may be down)."""
        session = self._session(name)
        await self._logout_quietly(session)
        return self._info(session)

    async def status(self, name: str) -> ConnectionInfo:
        """Ask openBIS; an unreachable or silent server is a status here, not an error."""
        session = self._session(name)
        try:
            await self._run(session, self.default_timeout, session.check)
        except UpstreamTimeout:
            pass  # already marked unreachable by _run
        except LabError as exc:
            if exc.code not in UNREACHABLE_CODES:
                raise
            session.mark_unreachable(exc.message)
        return self._info(session)

    async def call(
        self,
        name: str,
        fn: Callable[..., T],
        *args: Any,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> T:
        """Run `fn(openbis, *args, **kwargs)` off the loop; see the module docstring."""
        session = self._session(name)
        return await self._run(
            session, timeout or self.default_timeout, session.run, fn, *args, **kwargs
        )

    async def token_source(self, name: str) -> TokenSource:
        """A live session token for a transfer's own data store requests, renewed later (in
        the transfer's thread) through the same path as `call`; see `transfers.TokenSource`."""
        session = self._session(name)
        token = await self._run(session, self.default_timeout, session.run, live_token)
        return TokenSource(session, token, read_timeout=self.default_timeout)

    async def close(self) -> None:
        """Log out every open session (best effort, bounded) and stop the worker threads."""
        sessions = list(self._sessions.values())
        await asyncio.gather(*(self._logout_quietly(s) for s in sessions))
        self._runner.close()

    # ---- internals -------------------------------------------------------------------------------
    async def _run(
        self,
        session: ConnectionSession,
        timeout: float,
        fn: Callable[..., T],
        *args: Any,
        _scrub: str | None = None,
        **kwargs: Any,
    ) -> T:
        """Run blocking `fn` for `session`; errors come back translated and free of secrets
        (the connection's own, and `_scrub`: a password or token that is being tried). A
        status that changed meanwhile (a preset logged in on first use, a session found
        expired) is told to `on_status`, so the list the user sees says what is true."""
        before = session.status
        try:
            return await self._runner.run(timeout, fn, *args, **kwargs)
        except TimeoutError:
            message = f"{session.server} did not answer within {timeout:g} s"
            session.mark_unreachable(message)
            raise UpstreamTimeout(message, code="upstream_timeout") from None
        except Exception as exc:
            raise translate(exc, server=session.server, scrub=session.scrubber(_scrub)) from None
        finally:
            if session.status is not before and self._sessions.get(session.spec.name) is session:
                self._on_status(session.spec.name, session.status.value)

    async def _logout_quietly(self, session: ConnectionSession) -> None:
        try:
            await self._run(session, CLOSE_TIMEOUT, session.logout)
        except LabError as exc:
            log.info("openBIS logout of %r failed: %s", session.spec.name, exc.message)

    def _session(self, name: str) -> ConnectionSession:
        session = self._sessions.get(name)
        if session is None:
            raise NotFound(f"No openBIS connection named {name!r}", field="name")
        return session

    def _editable(self, name: str, verb: str) -> ConnectionSession:
        session = self._session(name)
        if session.spec.preset:
            raise Conflict(
                f"{name!r} is configured by the server administrator and cannot be {verb} here",
                field="name",
                code="preset",
            )
        return session

    async def _persist(self) -> None:
        specs = [s.spec for s in self._sessions.values()]
        try:
            await asyncio.to_thread(self._store.save, specs)
        except OSError as exc:  # the data folder's disk, not openBIS: say so, and where
            problem = local_problem(exc, None, self._store.path)
            problem.message = f"The openBIS connections could not be saved: {problem.message}"
            raise problem from None

    @staticmethod
    def _info(session: ConnectionSession) -> ConnectionInfo:
        spec = session.spec
        return ConnectionInfo(
            name=spec.name,
            url=spec.url,
            host=spec.host,
            port=spec.port,
            verify_certificates=spec.verify_certificates,
            insecure_http=spec.insecure_http,
            username=spec.username,
            auth=spec.auth.value,
            preset=spec.preset,
            has_secret=session.has_secret,
            status=session.status.value,
            logged_in_as=session.logged_in_as,
            last_error=session.last_error,
        )


__all__ = ["ConnectionInfo", "MountCredentials", "OpenbisService", "Status"]
