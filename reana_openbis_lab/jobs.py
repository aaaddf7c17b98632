"""Background jobs (transfers, workflow runs): state, progress, cancellation, change events.

A request that starts long work answers at once with a job id; the work runs as an
asyncio task here. Its blocking part (pybis, the bytes of a transfer) runs in the lab
worker process (`await progress.in_worker(fn, ...)`, see `worker.client`) and reports
through a `Progress` handle that is safe to call from any thread. Every change reaches the
`on_change` callback on the event loop, throttled, so the app can forward it to the
browser over jupyter_server's event bus without flooding it; a callback that raises is
logged and changes nothing about the job.

A failed job carries a message and a code from openapi.yaml's closed `ErrorCode` list: the
LabError's own, `local_*` for an OSError of the local file system (naming the path), or
`internal` for anything unexpected, whose traceback then goes to the server log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol, TypeVar

from .diagnostics import log_unexpected
from .errors import Conflict, LabError, NotFound
from .paths import local_problem

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Minimum seconds between two progress events of one job (state changes are never held back).
EMIT_INTERVAL = 0.25


class JobState(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class JobCancelled(Exception):
    """Raised inside work (thread or task) when the user cancelled the job."""


@dataclass
class Job:
    id: str
    kind: str
    title: str
    state: JobState = JobState.QUEUED
    step: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    bytes_done: int = 0
    bytes_total: int | None = None
    files_done: int = 0
    files_total: int | None = None
    error: str | None = None
    error_code: str | None = None
    result: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def speed(self) -> float | None:
        """Mean bytes per second since the job started (what a progress bar wants to show)."""
        if self.started is None:
            return None
        elapsed = (self.finished or time.time()) - self.started
        return self.bytes_done / elapsed if elapsed > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "state": self.state.value,
            "step": self.step,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "bytesDone": self.bytes_done,
            "bytesTotal": self.bytes_total,
            "filesDone": self.files_done,
            "filesTotal": self.files_total,
            "speed": self.speed,
            "error": self.error,
            "errorCode": self.error_code,
            "result": self.result,
            "details": self.details,
        }


class Progress:
    """What work code sees of its job: counters to bump and a cancellation flag to honour."""

    def __init__(self, manager: JobManager, job: Job):
        self._manager = manager
        self._job = job
        self._lock = threading.Lock()
        self.cancel_event = threading.Event()

    @property
    def job_id(self) -> str:
        return self._job.id

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        """Call between chunks in thread work; raises JobCancelled once the user cancelled."""
        if self.cancel_event.is_set():
            raise JobCancelled()

    def set_totals(self, *, bytes_total: int | None = None, files_total: int | None = None) -> None:
        if bytes_total is not None:
            self._job.bytes_total = bytes_total
        if files_total is not None:
            self._job.files_total = files_total
        self._manager._changed(self._job)

    def add_bytes(self, n: int) -> None:
        with self._lock:  # several transfer threads may report at once; += is not atomic
            self._job.bytes_done += n
        self._manager._changed(self._job)

    def file_done(self, n: int = 1) -> None:
        with self._lock:
            self._job.files_done += n
        self._manager._changed(self._job)

    def set_step(self, step: str) -> None:
        self._job.step = step
        self._manager._changed(self._job, force=True)

    def set_detail(self, key: str, value: Any) -> None:
        self._job.details[key] = value
        self._manager._changed(self._job)

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(context, *args)` in the lab worker for this job: its counters arrive here,
        a cancel of the job reaches it, and this returns only once it has ended (the one way
        a transfer runs; see `worker.client.LabWorker.run`)."""
        worker = self._manager.worker
        if worker is None:
            raise RuntimeError("this JobManager has no lab worker")
        return await worker.run(fn, *args, progress=self)


class ProgressReport(Protocol):
    """What transfer code reports through, in the server (`Progress`) or in the lab worker
    (`worker.context.WorkerProgress`): the same counters and the same cancel flag."""

    cancel_event: threading.Event

    @property
    def cancelled(self) -> bool: ...
    def check_cancelled(self) -> None: ...
    def set_totals(
        self, *, bytes_total: int | None = None, files_total: int | None = None
    ) -> None: ...
    def add_bytes(self, n: int) -> None: ...
    def file_done(self, n: int = 1) -> None: ...
    def set_step(self, step: str) -> None: ...
    def set_detail(self, key: str, value: Any) -> None: ...


Work = Callable[[Progress], Awaitable[dict[str, Any] | None]]


class Runner(Protocol):
    """Where `Progress.in_worker` runs work (`worker.client.LabWorker`)."""

    async def run(
        self, fn: Callable[..., T], *args: Any, progress: Progress | None = None
    ) -> T: ...


class JobManager:
    """Owns every job of the server process; finished jobs are kept (bounded) for reloads."""

    def __init__(
        self,
        on_change: Callable[[Job], None] | None = None,
        *,
        keep_finished: int = 200,
        max_running: int = 4,
        root_dir: str | os.PathLike[str] | None = None,
        worker: Runner | None = None,
    ):
        self._on_change = on_change
        #: Where the jobs' blocking work runs (`Progress.in_worker`).
        self.worker = worker
        #: Local paths in error messages are shown relative to it.
        self._root_dir = root_dir
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._progress: dict[str, Progress] = {}
        self._keep_finished = keep_finished
        self._slots = asyncio.Semaphore(max_running)
        self._last_emit: dict[str, float] = {}
        self._pending_emit: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def submit(self, kind: str, title: str, work: Work, **details: Any) -> Job:
        """Start `work` in the background and return its job immediately (state queued)."""
        self._loop = asyncio.get_running_loop()
        job = Job(id=uuid.uuid4().hex, kind=kind, title=title, details=dict(details))
        progress = Progress(self, job)
        self._jobs[job.id] = job
        self._progress[job.id] = progress
        self._tasks[job.id] = asyncio.ensure_future(self._run(job, progress, work))
        self._prune()
        self._emit(job)
        return job

    def list(self, kind_prefix: str | None = None) -> list[Job]:
        jobs = list(self._jobs.values())
        if kind_prefix:
            jobs = [j for j in jobs if j.kind.startswith(kind_prefix)]
        return sorted(jobs, key=lambda j: j.created, reverse=True)

    def get(self, job_id: str) -> Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise NotFound(f"No job with id '{job_id}'", field="job_id") from None

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.state.finished:
            raise Conflict(f"Job '{job_id}' has already {job.state.value}", field="job_id")
        self._progress[job_id].cancel_event.set()
        task = self._tasks.get(job_id)
        if task is not None:
            task.cancel()
        return job

    async def wait(self, job_id: str) -> Job:
        """Wait for a job to finish (tests and composite jobs use this)."""
        task = self._tasks.get(job_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)
        return self.get(job_id)

    async def shutdown(self) -> None:
        """Cancel everything still running and wait for the work to clean up after itself."""
        tasks = [t for t in self._tasks.values() if not t.done()]
        for job_id, task in self._tasks.items():
            if not task.done():
                self._progress[job_id].cancel_event.set()
                task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, job: Job, progress: Progress, work: Work) -> None:
        try:
            async with self._slots:
                job.state = JobState.RUNNING
                job.started = time.time()
                self._emit(job)
                job.result = await work(progress)
            job.state = JobState.DONE
        except (asyncio.CancelledError, JobCancelled):
            job.state = JobState.CANCELLED
        except LabError as exc:  # messages of LabErrors hold no secret, by contract
            log.warning("Job %s (%s) failed [%s]: %s", job.id, job.kind, exc.code, exc.message)
            job.state = JobState.FAILED
            job.error = exc.message
            job.error_code = exc.code
        except OSError as exc:  # the local file system refused: say where and why
            problem = local_problem(exc, self._root_dir)
            log_unexpected(log, f"Job {job.id} ({job.kind}) failed: {problem.message}", exc)
            job.state = JobState.FAILED
            job.error = problem.message
            job.error_code = problem.code
        except Exception as exc:  # unexpected: report the type, never the (possibly secret) args
            log_unexpected(log, f"Job {job.id} ({job.kind}) failed unexpectedly", exc)
            job.state = JobState.FAILED
            job.error = (
                f"Unexpected error ({type(exc).__name__}); the Jupyter server's log has the details"
            )
            job.error_code = "internal"
        finally:
            job.finished = time.time()
            self._tasks.pop(job.id, None)
            self._emit(job)

    def _prune(self) -> None:
        finished = [j for j in self._jobs.values() if j.state.finished]
        for job in finished[: max(0, len(finished) - self._keep_finished)]:
            self._jobs.pop(job.id, None)
            self._progress.pop(job.id, None)
            self._last_emit.pop(job.id, None)

    def _changed(self, job: Job, force: bool = False) -> None:
        """Called from any thread; coalesces progress into at most one event per interval."""
        loop = self._loop
        if loop is None or self._on_change is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._schedule(job, force)
        else:
            loop.call_soon_threadsafe(self._schedule, job, force)

    def _schedule(self, job: Job, force: bool) -> None:
        if force:
            self._emit(job)
            return
        if job.id in self._pending_emit:
            return
        delay = self._last_emit.get(job.id, 0.0) + EMIT_INTERVAL - time.monotonic()
        if delay <= 0:
            self._emit(job)
            return
        self._pending_emit.add(job.id)
        assert self._loop is not None
        self._loop.call_later(delay, self._flush, job)

    def _flush(self, job: Job) -> None:
        self._pending_emit.discard(job.id)
        self._emit(job)

    def _emit(self, job: Job) -> None:
        """Tell the listener; its failure is its own (logged), never the job's or the caller's:
        a broken event sink must not fail every transfer with "Unexpected error"."""
        self._last_emit[job.id] = time.monotonic()
        if self._on_change is None:
            return
        try:
            self._on_change(job)
        except Exception as exc:
            log_unexpected(log, f"The listener of job events failed on job {job.id}", exc)
