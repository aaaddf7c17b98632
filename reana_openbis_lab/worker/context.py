"""What a function running in the lab worker is given: its job's counters, its cancel flag,
HTTP sessions that a cancel can cut, and a way to tell the server about state changes.

Every call into the worker is `fn(context, *args, **kwargs)` where `fn` is a module-level
function of this package (see `worker.client.LabWorker.run`). It runs in a thread of the
worker process and may block as long as it likes: the Jupyter server only waits for its
answer. Counters set through `context.progress` reach the job in the server a few times a
second; `context.check_cancelled()` raises JobCancelled once the user cancelled, and a
cancel also shuts down every connection made by `context.http_session()` sessions, so a
read blocked on a silent server returns at once.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from pathlib import Path
from typing import Any

import requests

from .. import leftovers
from ..jobs import JobCancelled
from ..transfer_threads import OpenConnections, tracked_session

#: Seconds between two progress frames of one call (a step change is sent at once).
PROGRESS_INTERVAL = 0.2

Send = Callable[[tuple[Any, ...]], None]


class WorkerProgress:
    """The job's counters as the worker sees them: the same methods as `jobs.Progress`,
    batched into progress frames (deltas for the counters, the latest value for the rest)."""

    def __init__(self, call_id: int, send: Send, cancel_event: threading.Event) -> None:
        self.job_id = f"call-{call_id}"
        self.cancel_event = cancel_event
        self._call_id = call_id
        self._send = send
        self._lock = threading.Lock()
        self._update: dict[str, Any] = {}
        self._last_sent = 0.0

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise JobCancelled()

    def set_totals(self, *, bytes_total: int | None = None, files_total: int | None = None) -> None:
        with self._lock:
            if bytes_total is not None:
                self._update["bytes_total"] = bytes_total
            if files_total is not None:
                self._update["files_total"] = files_total
        self._maybe_flush()

    def add_bytes(self, n: int) -> None:
        with self._lock:
            self._update["bytes"] = self._update.get("bytes", 0) + n
        self._maybe_flush()

    def file_done(self, n: int = 1) -> None:
        with self._lock:
            self._update["files"] = self._update.get("files", 0) + n
        self._maybe_flush()

    def set_step(self, step: str) -> None:
        with self._lock:
            self._update["step"] = step
        self.flush()

    def set_detail(self, key: str, value: Any) -> None:
        with self._lock:
            self._update.setdefault("details", {})[key] = value
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last_sent >= PROGRESS_INTERVAL:
            self.flush()

    def flush(self) -> None:
        """Send what changed since the last frame (nothing if nothing did)."""
        with self._lock:
            update, self._update = self._update, {}
            self._last_sent = time.monotonic()
        if update:
            self._send(("progress", self._call_id, update))


class WorkContext:
    """Given to every function the worker runs, as its first argument."""

    def __init__(self, call_id: int, send: Send, journal: leftovers.Journal | None = None) -> None:
        self.call_id = call_id
        self._journal = journal
        self.cancel_event = threading.Event()
        self.progress = WorkerProgress(call_id, send, self.cancel_event)
        self.connections = OpenConnections()
        self._send = send
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._shielded = 0

    # ---- for the function ---------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        self.progress.check_cancelled()

    def http_session(self) -> requests.Session:
        """A requests Session whose connections a cancel shuts down; closed with the call."""
        session = tracked_session(self.connections)
        with self._lock:
            self._sessions.append(session)
        return session

    def staging_dir(self, parent: Path, prefix: str) -> ContextManager[Path]:
        """A new staging folder in `parent` (a name starting with one of
        `leftovers.STAGING_PREFIXES`), removed with its contents at the end of the block and,
        should this process die first, by whoever comes next (`leftovers`)."""
        return leftovers.staging_dir(self._journal, parent, prefix)

    @contextlib.contextmanager
    def uncancellable(self) -> Iterator[None]:
        """For a step that cannot be taken back halfway (openBIS creating a dataset): a cancel
        arriving during it leaves its connections alone; the function decides afterwards."""
        with self._lock:
            self._shielded += 1
        try:
            yield
        finally:
            with self._lock:
                self._shielded -= 1

    def emit(self, topic: str, payload: Any) -> None:
        """Tell the server something it mirrors (see `LabWorker.on_event`)."""
        self._send(("event", topic, payload))

    # ---- for the worker's main loop -------------------------------------------------------
    def cancel(self) -> None:
        self.cancel_event.set()
        with self._lock:
            shielded = self._shielded > 0
        if not shielded:
            self.connections.cut()

    def close(self) -> None:
        self.progress.flush()
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
