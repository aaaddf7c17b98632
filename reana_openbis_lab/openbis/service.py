"""`OpenbisService`: the one object the rest of the extension uses to reach openBIS.

pybis never runs in the Jupyter server's process: every openBIS request is made in the lab
worker (`worker.client.LabWorker`), where `in_worker` keeps one pybis session per
connection. This service is the server's face of it: the connections' metadata (persisted),
the secret each one holds in memory (sent along with each call, so a restarted worker logs
in again by itself), and a mirror of each session's state that the worker keeps up to date.

Public API (used by the REST handlers, the transfer jobs and the SSHFS mount):

- `await service.call(name, fn, *args, timeout=None, **kwargs)` runs
  `fn(openbis: pybis.Openbis, *args, **kwargs)` in the lab worker with the connection's
  logged-in pybis object (`fn` is a module-level function; arguments and result are
  pickled). It never makes the event loop wait longer than `timeout` (default: the
  configured `openbis_timeout`) and raises UpstreamTimeout then; HTTP reads inside the call
  time out at about the same moment, and the worker is told to stop. An expired session is
  renewed once when a secret is in memory, else LoginRequired (code "login_required").
  Failures arrive as UpstreamError / PermissionDenied / NotFound / LoginRequired with
  messages free of secrets. `fn` may run twice if the session was renewed.
- `service.ticket(name)`: what a transfer in the lab worker needs to reach the connection;
  a job passes it on: `await progress.in_worker(download_dataset, ticket, plan)`.
- `service.get(name)` / `service.list()` -> `ConnectionInfo` (no secret, only `has_secret`).
- `service.secret_for_mount(name)` -> `MountCredentials` for sshfs; never serialise it.
- `await service.login/logout/status(name)`, `await service.add/update/delete(...)`.
- `await service.close()` at server stop: logs every session out (bounded).
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
from ..worker.client import STARTED, LabWorker
from . import in_worker
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
from .session import SessionState, Status

T = TypeVar("T")
log = logging.getLogger(__name__)

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


class _Connection:
    """The server's side of one connection: its spec, the secret in memory, the mirrored
    state; `on_status(self)` hears of every change of its status."""

    def __init__(
        self, spec: ConnectionSpec, on_status: Callable[[_Connection], None] = lambda c: None
    ) -> None:
        self.spec = spec
        self.secret: str | None = spec.secret
        self._on_status = on_status
        self._state = SessionState(Status.DISCONNECTED, None, None, bool(self.secret))

    def __repr__(self) -> str:  # never the secret
        return f"_Connection({self.spec.name!r}, {self._state.status.value})"

    @property
    def state(self) -> SessionState:
        return self._state

    @state.setter
    def state(self, state: SessionState) -> None:
        before, self._state = self._state.status, state
        if state.status is not before:
            self._on_status(self)

    @property
    def server(self) -> str:
        return f"openBIS at {self.spec.url}"

    def ticket(self) -> in_worker.Ticket:
        return in_worker.Ticket(self.spec, self.secret)

    def mirror(self, state: SessionState) -> None:
        """The worker's session changed: show its state, and hold its secret no longer than it."""
        self.state = state
        if not state.has_secret:
            self.secret = None

    def mark_unreachable(self, message: str) -> None:
        live = self.state.status in (Status.CONNECTED, Status.UNREACHABLE)
        self.state = SessionState(
            Status.UNREACHABLE if live else self.state.status,
            self.state.logged_in_as,
            message,
            self.state.has_secret,
        )


class OpenbisService:
    """Connections (metadata persisted, secrets in memory); pybis work in the lab worker."""

    def __init__(
        self,
        store_path: Path,
        presets: list[ConnectionSpec],
        default_timeout: float,
        worker: LabWorker,
        *,
        on_status: Callable[[str, str], None] = lambda name, status: None,
    ):
        if default_timeout <= 0:
            raise InvalidInput("openbis_timeout must be positive", field="openbis_timeout")
        self.default_timeout = float(default_timeout)
        self._store = ConnectionStore(store_path)
        self._worker = worker
        self._write_lock = asyncio.Lock()
        self._on_status = on_status
        self._connections: dict[str, _Connection] = {p.name: self._new(p) for p in presets}
        for spec in self._store.load():
            if spec.name in self._connections:
                log.warning(
                    "Ignoring saved openBIS connection %r: a preset has that name", spec.name
                )
                continue
            self._connections[spec.name] = self._new(spec)
        worker.on_event(in_worker.STATE_EVENT, self._mirror)
        worker.on_event(STARTED, self._worker_started)

    # ---- reading ----------------------------------------------------------------------------
    def list(self) -> list[ConnectionInfo]:
        return [
            self._info(c) for c in sorted(self._connections.values(), key=lambda c: c.spec.name)
        ]

    def get(self, name: str) -> ConnectionInfo:
        return self._info(self._connection(name))

    def secret_for_mount(self, name: str) -> MountCredentials:
        """Credentials for the SSHFS mount of `name`; LoginRequired when none are in memory."""
        connection = self._connection(name)
        secret = connection.secret
        username = connection.state.logged_in_as or connection.spec.username
        if not secret or not username:
            kept = "kept in memory (log in again and let the server remember it)"
            reason = kept if connection.state.status is Status.CONNECTED else "(log in first)"
            raise LoginRequired(
                f"Mounting {connection.server} needs its password or token {reason}",
                code="login_required",
            )
        return MountCredentials(host=connection.spec.host, username=username, password=secret)

    # ---- editing ------------------------------------------------------------------------------
    async def add(self, new: NewConnection) -> ConnectionInfo:
        spec = spec_from_input(new)
        async with self._write_lock:
            if spec.name in self._connections:
                raise Conflict(f"A connection named {spec.name!r} already exists", field="name")
            self._connections[spec.name] = self._new(spec)
            await self._persist()
        return self.get(spec.name)

    async def update(self, name: str, changes: ConnectionChanges) -> ConnectionInfo:
        async with self._write_lock:
            connection = self._editable(name, "changed")
            spec = spec_updated(connection.spec, changes)
            if spec != connection.spec:
                self._connections[name] = self._new(spec)
                await self._persist()
                await self._forget_in_worker(name)
        return self.get(name)

    async def delete(self, name: str) -> None:
        async with self._write_lock:
            connection = self._editable(name, "deleted")
            del self._connections[name]
            await self._persist()
        await self._logout_quietly(connection)
        await self._forget_in_worker(name)

    # ---- sessions --------------------------------------------------------------------------------
    async def login(self, name: str, form: Login) -> ConnectionInfo:
        """Log in with the form's secret, or the one held; `remember=False` keeps no secret
        (no silent renewal, no mount)."""
        connection = self._connection(name)
        secret = self._secret_from(connection.spec.auth, form)
        state = await self._run(
            connection,
            self.default_timeout,
            in_worker.login,
            secret,
            form.username or None,
            form.remember,
        )
        if state.status is Status.CONNECTED:
            connection.secret = (
                (secret or connection.secret) if form.remember else connection.spec.secret
            )
        connection.mirror(state)
        return self._info(connection)

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
        connection = self._connection(name)
        await self._logout_quietly(connection)
        return self._info(connection)

    async def status(self, name: str) -> ConnectionInfo:
        """Ask openBIS; an unreachable or silent server is a status here, not an error."""
        connection = self._connection(name)
        try:
            connection.mirror(await self._run(connection, self.default_timeout, in_worker.check))
        except UpstreamTimeout:
            pass  # already marked unreachable by _run
        except LabError as exc:
            if exc.code not in UNREACHABLE_CODES:
                raise
            connection.mark_unreachable(exc.message)
        return self._info(connection)

    async def call(
        self,
        name: str,
        fn: Callable[..., T],
        *args: Any,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> T:
        """Run `fn(openbis, *args, **kwargs)` in the lab worker; see the module docstring."""
        connection = self._connection(name)
        limit = timeout or self.default_timeout
        return await self._run(connection, limit, in_worker.call, fn, *args, **kwargs)

    def ticket(self, name: str) -> in_worker.Ticket:
        """What a transfer running in the lab worker needs to reach the connection
        (`in_worker.token_source`): its spec and the secret held for it."""
        return self._connection(name).ticket()

    async def close(self) -> None:
        """Log out every open session (best effort, bounded)."""
        connections = [
            c for c in self._connections.values() if c.state.status is not Status.DISCONNECTED
        ]
        if connections and self._worker.running:
            await asyncio.gather(*(self._logout_quietly(c) for c in connections))

    # ---- internals -------------------------------------------------------------------------------
    async def _run(
        self,
        connection: _Connection,
        timeout: float,
        fn: Callable[..., T],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """`fn(context, ticket, timeout, *args)` in the worker; the event loop waits at most
        `timeout` (plus a second for the answer to travel)."""
        try:
            return await self._worker.run(
                fn, connection.ticket(), timeout, *args, timeout=timeout + 1.0, **kwargs
            )
        except asyncio.TimeoutError:
            message = f"{connection.server} did not answer within {timeout:g} s"
            connection.mark_unreachable(message)
            raise UpstreamTimeout(message, code="upstream_timeout") from None

    async def _logout_quietly(self, connection: _Connection) -> None:
        try:
            connection.mirror(await self._run(connection, CLOSE_TIMEOUT, in_worker.logout))
        except LabError as exc:
            log.info("openBIS logout of %r failed: %s", connection.spec.name, exc.message)
            connection.mirror(
                SessionState(
                    Status.DISCONNECTED,
                    None,
                    None,
                    connection.spec.preset and bool(connection.spec.secret),
                )
            )
        if connection.spec.preset:
            connection.secret = connection.spec.secret

    async def _forget_in_worker(self, name: str) -> None:
        if self._worker.running:
            try:
                await self._worker.run(in_worker.forget, name, timeout=CLOSE_TIMEOUT)
            except (LabError, asyncio.TimeoutError) as exc:
                log.info("The lab worker could not forget %r: %s", name, exc)

    def _mirror(self, payload: tuple[str, ConnectionSpec, SessionState]) -> None:
        name, spec, state = payload
        connection = self._connections.get(name)
        if connection is not None and connection.spec == spec:  # not an old session's news
            connection.mirror(state)

    def _worker_started(self, _: Any) -> None:
        """A new worker knows no session: those with a secret log in again on first use,
        the others are logged out."""
        for connection in self._connections.values():
            if connection.state.status is not Status.DISCONNECTED:
                connection.state = SessionState(
                    Status.DISCONNECTED, None, None, bool(connection.secret)
                )

    def _new(self, spec: ConnectionSpec) -> _Connection:
        return _Connection(spec, self._status_changed)

    def _status_changed(self, connection: _Connection) -> None:
        """A status that changed (a preset logged in on first use, a session found expired,
        a restarted worker) is told to `on_status`, so the list the user sees says what is
        true; a replaced or deleted connection's news are not."""
        if self._connections.get(connection.spec.name) is connection:
            self._on_status(connection.spec.name, connection.state.status.value)

    def _connection(self, name: str) -> _Connection:
        connection = self._connections.get(name)
        if connection is None:
            raise NotFound(f"No openBIS connection named {name!r}", field="name")
        return connection

    def _editable(self, name: str, verb: str) -> _Connection:
        connection = self._connection(name)
        if connection.spec.preset:
            raise Conflict(
                f"{name!r} is configured by the server administrator and cannot be {verb} here",
                field="name",
                code="preset",
            )
        return connection

    async def _persist(self) -> None:
        specs = [c.spec for c in self._connections.values()]
        try:
            await asyncio.to_thread(self._store.save, specs)
        except OSError as exc:  # the data folder's disk, not openBIS: say so, and where
            problem = local_problem(exc, None, self._store.path)
            problem.message = f"The openBIS connections could not be saved: {problem.message}"
            raise problem from None

    @staticmethod
    def _info(connection: _Connection) -> ConnectionInfo:
        spec, state = connection.spec, connection.state
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
            has_secret=bool(connection.secret),
            status=state.status.value,
            logged_in_as=state.logged_in_as,
            last_error=state.last_error,
        )


__all__ = ["ConnectionInfo", "MountCredentials", "OpenbisService", "Status"]
