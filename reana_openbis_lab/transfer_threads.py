"""Threads that move bytes, kept from slowing the event loop down, and connections they can cut.

A transfer's bytes are read from sockets, checksummed and written to disk in threads of
their own, so the event loop only hears about progress. On a machine with few cores those
threads still compete with the event-loop thread for a core: Linux schedules each thread on
its own, so a transfer thread lowers its own priority (a higher nice value) and the thread
that answers every request wins whenever both want to run. bench/profile_misses.py and
`make bench` (event loop under load) measure the effect.

A thread blocked in a socket read on a server gone silent only wakes at its read timeout
(minutes), so every connection a transfer's requests Session makes is remembered
(`OpenConnections`) and stopping shuts those sockets down: the blocked read returns at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

T = TypeVar("T")

#: Nice value of transfer threads (0 is the default, 19 the lowest priority).
TRANSFER_NICENESS = 10
#: Bytes per socket send of a streamed request body (urllib3's `blocksize`; its default is 16 KiB).
#: Big enough that a 10 MiB slice is 40 sends, small enough that four streams hold 1 MiB.
SEND_BLOCK_SIZE = 256 * 1024


def lower_this_thread() -> None:
    """Give the calling thread (not the process) a nice value of at least TRANSFER_NICENESS.

    Only for threads that end with their transfer: an unprivileged process cannot raise a
    thread's priority again, so a pooled thread would stay low for whatever it runs next.
    Elsewhere than Linux, or when the system refuses, nothing changes.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        if current < TRANSFER_NICENESS:
            os.setpriority(os.PRIO_PROCESS, thread, TRANSFER_NICENESS)


async def run_in_own_thread(fn: Callable[[], T], stop: Callable[[], None], name: str) -> T:
    """Run `fn` in a new low-priority thread; a cancellation calls `stop` (which must make
    `fn` end soon) and is re-raised only once the thread has ended, so the caller never
    cleans up under a thread still writing. `fn`'s exception is raised here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(setter: Callable[[Any], None], value: Any) -> None:
        if not future.done():
            setter(value)

    def runner() -> None:
        lower_this_thread()
        try:
            result = fn()
        except BaseException as exc:  # handed to the coroutine, which decides what it means
            loop.call_soon_threadsafe(deliver, future.set_exception, exc)
        else:
            loop.call_soon_threadsafe(deliver, future.set_result, result)

    threading.Thread(target=runner, name=name, daemon=True).start()
    while True:
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if future.done():
                raise
            stop()


class OpenConnections:
    """The live connections of one transfer; `cut()` wakes every read blocked on them, and
    shuts at once any connection made after it (a stream that was still connecting)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()
        self._children: weakref.WeakSet[OpenConnections] = weakref.WeakSet()
        self._cut = False

    def add(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.add(connection)
            cut = self._cut
        if cut:
            _shut(connection)

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            connections = list(self._connections)
            children = list(self._children)
        for connection in connections:
            _shut(connection)
        for child in children:
            child.cut()

    def child(self) -> OpenConnections:
        """Connections of one part of the transfer: cut on their own (that part failed, the
        rest goes on), and with these whenever these are cut."""
        child = OpenConnections()
        with self._lock:
            self._children.add(child)
            cut = self._cut
        if cut:
            child.cut()
        return child


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class TrackingAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections register with an OpenConnections once connected;
    with `ssl_context`, TLS connections use it (requests' `verify` takes no context)."""

    def __init__(self, connections: OpenConnections, ssl_context: ssl.SSLContext | None = None):
        self._tracked = connections
        self._ssl_context = ssl_context
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blocksize", SEND_BLOCK_SIZE)
        if self._ssl_context is not None:
            kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)
        tracked = self._tracked

        class Plain(HTTPConnection):
            def connect(self) -> None:
                super().connect()
                tracked.add(self)

        class Secure(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                tracked.add(self)

        class PlainPool(HTTPConnectionPool):
            ConnectionCls = Plain

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = Secure

        self.poolmanager.pool_classes_by_scheme = {"http": PlainPool, "https": SecurePool}


def tracked_session(
    connections: OpenConnections, ssl_context: ssl.SSLContext | None = None
) -> requests.Session:
    """A requests Session whose connections `connections.cut()` can interrupt."""
    session = requests.Session()
    adapter = TrackingAdapter(connections, ssl_context)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
