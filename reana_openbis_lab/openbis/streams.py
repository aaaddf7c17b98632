"""The parallel HTTP streams of one transfer, and how they stop together.

A transfer runs a few streams at once (files, or slices of a big file). They stop for two
reasons: the user cancelled, or one stream failed and the rest is pointless. Checking a
flag between chunks is not enough, because a stream may be blocked in a socket read on a
server that went silent (read timeout: minutes). So every connection a transfer opens is
remembered, and stopping shuts those sockets down: the blocked read returns at once, the
stream sees the stop flag and ends with JobCancelled instead of an error of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import TypeVar

import requests

from ..jobs import JobCancelled, ProgressReport
from ..transfer_threads import OpenConnections, lower_this_thread, tracked_session

T = TypeVar("T")
Item = TypeVar("Item")

#: Streams per transfer: enough to hide per-request latency, few enough for a shared DSS.
PARALLEL_STREAMS = 4
#: How often the coordinating thread looks at the cancel flag while streams run.
CANCEL_POLL_SECONDS = 0.2


class StopSignal:
    """Cancelled by the user, or stopped because a sibling stream failed.

    It also carries the job's counters for the streams: `Progress` increments them with
    `+=`, which is not atomic across threads, so streams count through `add_bytes` and
    `file_done` here, under one lock.
    """

    def __init__(self, progress: ProgressReport):
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
    return tracked_session(stop.connections)


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
