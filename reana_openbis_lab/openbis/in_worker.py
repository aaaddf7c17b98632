"""The openBIS side of the lab worker: one `ConnectionSession` per connection, and the
functions the server's `OpenbisService` runs there.

Every call carries a `Ticket`: the connection's spec and the secret the server keeps for
it. The worker's session for that name is made from it when there is none (first use, or
a worker restarted after a crash, which then logs in again with that secret), or when
the connection was changed since. While a session lives, its own state rules: it renews
an expired openBIS session with the secret it holds, or forgets the secret when openBIS
refuses it; each change of its state is sent to the server as an event, so the list of
connections the server shows is always the worker's truth.

Failures leave here as domain errors (`calls.translate`) whose messages hold no secret.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..worker.context import WorkContext
from . import transport
from .calls import translate
from .connections import ConnectionSpec
from .session import ConnectionSession, SessionState
from .transfers import TokenSource, live_token

T = TypeVar("T")

#: Topic of the events that carry a session's state: (name, spec, SessionState).
STATE_EVENT = "openbis-session"


@dataclass(frozen=True)
class Ticket:
    spec: ConnectionSpec
    secret: str | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name


_lock = threading.Lock()
_sessions: dict[str, ConnectionSession] = {}


def session_for(context: WorkContext, ticket: Ticket) -> ConnectionSession:
    with _lock:
        session = _sessions.get(ticket.name)
        if session is None or session.spec != ticket.spec:
            spec = ticket.spec

            def publish(state: SessionState) -> None:
                context.emit(STATE_EVENT, (spec.name, spec, state))

            session = ConnectionSession(spec, secret=ticket.secret, on_change=publish)
            _sessions[ticket.name] = session
        return session


def _translated(session: ConnectionSession, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    scrub_also = kwargs.pop("_scrub", None)
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        raise translate(exc, server=session.server, scrub=session.scrubber(scrub_also)) from None


def call(
    context: WorkContext,
    ticket: Ticket,
    timeout: float,
    fn: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> T:
    """`fn(openbis, *args, **kwargs)` with the connection's live pybis object."""
    session = session_for(context, ticket)
    with transport.through(context.http_session(), timeout):
        return _translated(session, session.run, fn, *args, **kwargs)


def login(
    context: WorkContext,
    ticket: Ticket,
    timeout: float,
    secret: str | None,
    username: str | None,
    remember: bool,
) -> SessionState:
    session = session_for(context, ticket)
    with transport.through(context.http_session(), timeout):
        _translated(session, session.login, secret, username, remember, _scrub=secret)
    return session.state


def logout(context: WorkContext, ticket: Ticket, timeout: float) -> SessionState:
    session = session_for(context, ticket)
    with transport.through(context.http_session(), timeout):
        _translated(session, session.logout)
    return session.state


def check(context: WorkContext, ticket: Ticket, timeout: float) -> SessionState:
    session = session_for(context, ticket)
    with transport.through(context.http_session(), timeout):
        _translated(session, session.check)
    return session.state


def forget(context: WorkContext, name: str) -> None:
    """The connection was changed or deleted: its session goes, without telling openBIS."""
    with _lock:
        session = _sessions.pop(name, None)
    if session is not None:
        session.forget()


def token_source(
    context: WorkContext, ticket: Ticket, read_timeout: float
) -> tuple[ConnectionSession, TokenSource]:
    """For a transfer running in this worker: a live token for its data store requests,
    renewed through the session's one renewal path when the data store refuses it."""
    session = session_for(context, ticket)
    with transport.through(context.http_session(), read_timeout):
        token = _translated(session, session.run, live_token)
    return session, TokenSource(session, token, read_timeout=read_timeout)


def run_for_transfer(
    context: WorkContext,
    session: ConnectionSession,
    timeout: float,
    fn: Callable[..., T],
    *args: Any,
) -> T:
    """`fn(openbis, *args)` from inside a transfer, translated like `call`."""
    with transport.through(context.http_session(), timeout):
        return _translated(session, session.run, fn, *args)
