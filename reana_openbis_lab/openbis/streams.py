"""The parallel HTTP streams of one transfer, and how they stop together.

A transfer runs a few streams at once (files, or slices of a big file). They stop for two
reasons: the user cancelled, or one stream failed and the rest is pointless. Checking a
flag between chunks is not enough, because a stream may be blocked in a socket read on a
server that went silent (read timeout: minutes). So every connection a transfer opens is
remembered, and stopping shuts those sockets down: the blocked read returns at once, the
stream sees the stop flag and ends with JobCancelled instead of an error of its own.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..jobs import JobCancelled, Progress
from ..transfer_threads import lower_this_thread

T = TypeVar("T")
Item = TypeVar("Item")

#: Streams per transfer: enough to hide per-request latency, few enough for a shared DSS.
PARALLEL_STREAMS = 4
#: Bytes per socket send of a streamed request body (urllib3's `blocksize`; its default is 16 KiB).
#: Big enough that a 10 MiB slice is 40 sends, small enough that four streams hold 1 MiB.
SEND_BLOCK_SIZE = 256 * 1024
#: How often the coordinating thread looks at the cancel flag while streams run.
CANCEL_POLL_SECONDS = 0.2


class OpenConnections:
    """The live connections of one transfer; `cut()` wakes every read blocked on them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()

    def add(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.add(connection)

    def cut(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _TrackingAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections register with an OpenConnections once connected."""

    def __init__(self, connections: OpenConnections):
        self._tracked = connections
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blocksize", SEND_BLOCK_SIZE)
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


class StopSignal:
    """Cancelled by the user, or stopped because a sibling stream failed.

    It also carries the job's counters for the streams: `Progress` increments them with
    `+=`, which is not atomic across threads, so streams count through `add_bytes` and
    `file_done` here, under one lock.
    """

    def __init__(self, progress: Progress):
        self._progress = progress
        self._failed = threading.Event()
        self._count_lock = threading.Lock()
        self.connections = OpenConnections()

    def add_bytes(self, count: int) -> None:
        with self._count_lock:
            self._progress.add_bytes(count)

    def file_done(self) -> None:
        with self._count_lock:
            self._progress.file_done()

    @property
    def stopping(self) -> bool:
        return self._progress.cancelled or self._failed.is_set()

    def fail(self) -> None:
        self._failed.set()
        self.connections.cut()

    def check(self) -> None:
        self._progress.check_cancelled()
        if self._failed.is_set():
            raise JobCancelled()


def new_http_session(stop: StopSignal) -> requests.Session:
    """One per worker thread (requests does not promise a thread-safe Session)."""
    session = requests.Session()
    adapter = _TrackingAdapter(stop.connections)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def run_streams(
    items: Iterable[Item],
    stream: Callable[[requests.Session, Item], T],
    stop: StopSignal,
    name: str,
) -> list[T]:
    """`stream(session, item)` for every item, a few at a time; results in item order.

    The first failure stops the others (their sockets are cut) and is raised; a cancel
    does the same and raises JobCancelled. Returns only when every stream has ended.
    """
    local = threading.local()

    def run(item: Item) -> T:
        if not hasattr(local, "session"):
            local.session = new_http_session(stop)
        return stream(local.session, item)

    with ThreadPoolExecutor(
        PARALLEL_STREAMS, thread_name_prefix=name, initializer=lower_this_thread
    ) as pool:
        futures = [pool.submit(run, item) for item in items]
        try:
            _wait_watching(futures, stop)
        except BaseException:
            stop.fail()
            for future in futures:
                future.cancel()
            raise
    return [f.result() for f in futures]


def _wait_watching(futures: list[Future[T]], stop: StopSignal) -> None:
    pending: set[Future[T]] = set(futures)
    while pending:
        done, pending = wait(pending, timeout=CANCEL_POLL_SECONDS, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()
        if stop.stopping:
            stop.connections.cut()
