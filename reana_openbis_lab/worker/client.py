"""The server's side of the lab worker: one supervised child process for pybis and transfers.

How to run work there (a new kind of transfer, an openBIS call) — the one interface:

    def my_transfer(context: WorkContext, request: MyRequest) -> dict[str, Any]:
        ...  # blocking code: requests, pybis, files; no asyncio, no tornado

    result = await services.worker.run(my_transfer, request, progress=progress)

- `my_transfer` is a module-level function of this package (it travels by name) and gets
  a `worker.context.WorkContext` first: `context.progress` has the methods of
  `jobs.Progress` (counters reach the job a few times a second), `context.check_cancelled()`
  raises JobCancelled after a cancel, `context.http_session()` gives sessions whose sockets a
  cancel shuts down, `context.uncancellable()` protects a step that must not stop halfway.
- Arguments and the result are pickled: dataclasses, paths, strings, numbers. A secret may
  travel (the pipe is private), but must never be put into a result or an error message.
- Errors come back as they were raised: a LabError keeps its class, message and code; an
  OSError its errno and file name (so the job names the local path); a cancel is
  JobCancelled; anything else is logged with its traceback and becomes an "internal" error.
- `progress`: the job's Progress. Its cancel (the user's) is passed on to the worker, and
  `run` returns only once the worker's function has ended, so the job never finishes while
  the worker still writes into its files. `timeout`: the caller waits at most this long
  (asyncio.TimeoutError; the worker is told to stop).

If the worker process dies, every call waiting on it fails with a WorkerFailed
("worker_died") that says so, and a new worker is started at once.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..errors import NotAvailable, UpstreamError
from ..jobs import Progress
from ..supervision import SupervisedProcess
from . import protocol

T = TypeVar("T")
PACKAGE = "reana_openbis_lab"
#: Topics of the events the server side emits itself: a worker has started (its pid), a
#: worker died on its own (its exit code).
STARTED = "started"
DIED = "died"
log = logging.getLogger(__name__)

#: Seconds the worker may take to start (it imports pybis and pandas once).
START_TIMEOUT = 60.0
#: Seconds a cancelled call gets to end before its job stops waiting for it.
CANCEL_GRACE = 30.0
#: Frames larger than this are unpickled in a thread, off the event loop.
BIG_FRAME = 256 * 1024
#: Variables passed on to the worker. Secrets in the server's environment (preset
#: passwords, tokens) stay out: the worker gets what it needs with each call.
PASSED_ENV = (
    "HOME",
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "TMP",
    "TEMP",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "SYSTEMROOT",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)


class WorkerFailed(UpstreamError):
    """The lab worker broke (died, or spoke something other than the protocol)."""


@dataclass
class _Call:
    future: asyncio.Future[Any]
    progress: Progress | None
    label: str


class LabWorker(SupervisedProcess):
    """`await worker.run(fn, *args, progress=..., timeout=...)`; see the module docstring."""

    label = "lab worker"

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        start_timeout: float = START_TIMEOUT,
        log_level: int | None = None,
    ):
        super().__init__()
        #: Where the worker keeps its journal of staging folders (`leftovers`).
        self.data_dir = data_dir
        self.start_timeout = start_timeout
        self._log_level = log_level
        self._ids = itertools.count(1)
        self._calls: dict[int, _Call] = {}
        self._reader: asyncio.Task[None] | None = None
        self._listeners: dict[str, list[Callable[[Any], None]]] = {}
        self._guarded: set[tuple[str, str]] = set()
        self.ready_info: dict[str, Any] | None = None

    # ---- public ---------------------------------------------------------------------------
    def on_event(self, topic: str, listener: Callable[[Any], None]) -> None:
        """Call `listener(payload)` on the event loop for each event of `topic` the worker
        emits (`WorkContext.emit`), and for STARTED (the pid) whenever a worker started."""
        self._listeners.setdefault(topic, []).append(listener)

    async def run(
        self,
        fn: Callable[..., T],
        *args: Any,
        progress: Progress | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> T:
        proc = await self._ensure_started()
        call_id = next(self._ids)
        label = getattr(fn, "__qualname__", repr(fn))
        call = _Call(asyncio.get_running_loop().create_future(), progress, label)
        self._calls[call_id] = call
        try:
            await self._send(proc, ("call", call_id, fn, args, kwargs))
            return await self._answer(proc, call_id, call, timeout)
        finally:
            self._calls.pop(call_id, None)

    async def guard(self, kind: str, path: str, on: bool) -> None:
        """Have the worker undo `path` (a mount) should the server go away without stopping
        it; re-sent to a restarted worker."""
        entry = (kind, path)
        if on:
            self._guarded.add(entry)
        else:
            self._guarded.discard(entry)
        if on or self.running:
            proc = await self._ensure_started()
            await self._send(proc, ("guard", kind, path, on))

    # ---- internals ------------------------------------------------------------------------
    async def _answer(
        self, proc: asyncio.subprocess.Process, call_id: int, call: _Call, timeout: float | None
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        cancelled_at: float | None = None
        while True:
            if cancelled_at is not None:
                left: float | None = cancelled_at + CANCEL_GRACE - loop.time()
            elif deadline is not None:
                left = deadline - loop.time()
            else:
                left = None
            try:
                return await asyncio.wait_for(asyncio.shield(call.future), left)
            except asyncio.CancelledError:
                if call.future.done():
                    raise
                await self._cancel(proc, call_id)
                cancelled_at = loop.time()
            except asyncio.TimeoutError:
                if cancelled_at is None:  # the caller's deadline: stop the work, say so
                    await self._cancel(proc, call_id)
                    raise
                log.warning(
                    "%s did not stop within %g s of its cancel; not waiting any longer",
                    call.label,
                    CANCEL_GRACE,
                )
                raise asyncio.CancelledError() from None

    async def _cancel(self, proc: asyncio.subprocess.Process, call_id: int) -> None:
        if proc.returncode is None:
            await self._send(proc, ("cancel", call_id))

    async def _send(self, proc: asyncio.subprocess.Process, message: tuple[Any, ...]) -> None:
        frame = protocol.encode(message)
        assert proc.stdin is not None
        try:
            proc.stdin.write(frame)
            await proc.stdin.drain()
        except (ConnectionError, BrokenPipeError):
            pass  # the reader sees the worker's end and fails the calls

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        proc = self._proc
        if proc is not None and proc.returncode is None and self._reader is not None:
            return proc
        async with self._start_lock:
            return await self._ensure_started_locked()

    async def _ensure_started_locked(self) -> asyncio.subprocess.Process:
        proc = self._proc
        if proc is not None and proc.returncode is None and self._reader is not None:
            return proc
        if self._stopping:
            raise NotAvailable("The Jupyter server is stopping", code="not_available")
        await self._forget(proc)
        return await self._start()

    async def _start(self) -> asyncio.subprocess.Process:
        environment = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        level = self._log_level
        if level is None:
            level = logging.getLogger(PACKAGE).getEffectiveLevel()
        argv = [sys.executable, "-m", "reana_openbis_lab.worker", "--log-level", str(level)]
        if self.data_dir is not None:
            argv += ["--data-dir", str(self.data_dir)]
        try:
            proc = await self._spawn(argv, env=environment, cwd=tempfile.gettempdir())
        except OSError as exc:
            raise NotAvailable(
                f"Could not start the lab worker ({exc.strerror})", code="not_available"
            ) from None
        try:
            ready = await asyncio.wait_for(self._read_ready(proc), self.start_timeout)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, protocol.ProtocolError):
            ready = None
        if not ready or ready[0] != "ready":
            await self._kill(proc)
            await self._forget(proc)
            raise NotAvailable(
                f"The lab worker does not start ({self._last_stderr()})", code="not_available"
            )
        self.ready_info = ready[1]
        self._reader = asyncio.ensure_future(self._read_all(proc))
        log.info("Lab worker started (pid %s)", proc.pid)
        for kind, path in sorted(self._guarded):
            await self._send(proc, ("guard", kind, path, True))
        self._notify(STARTED, proc.pid)
        return proc

    async def _read_ready(self, proc: asyncio.subprocess.Process) -> tuple[Any, ...]:
        while True:
            message = await self._read(proc)
            if message[0] != "log":
                return message
            self._dispatch(message)

    async def _read(self, proc: asyncio.subprocess.Process) -> tuple[Any, ...]:
        assert proc.stdout is not None
        header = await proc.stdout.readexactly(protocol.HEADER.size)
        payload = await proc.stdout.readexactly(protocol.frame_length(header))
        if len(payload) < BIG_FRAME:
            return protocol.decode(payload)
        return await asyncio.to_thread(protocol.decode, payload)

    async def _read_all(self, proc: asyncio.subprocess.Process) -> None:
        try:
            while True:
                self._dispatch(await self._read(proc))
        except (asyncio.IncompleteReadError, ConnectionError):
            problem = "stopped unexpectedly"
        except protocol.ProtocolError as exc:
            problem = f"wrote something other than its protocol ({exc})"
            await self._kill(proc)
        except asyncio.CancelledError:
            return
        code = await proc.wait()
        self._reader = None
        if self._proc is proc:
            self._proc = None
        self._fail_all(problem, code)
        if not self._stopping:
            log.warning("The lab worker %s (exit code %s); starting a new one", problem, code)
            self._notify(DIED, code)
            self._schedule_restart()

    def _fail_all(self, problem: str, code: int | None) -> None:
        calls = list(self._calls.values())
        for call in calls:
            if not call.future.done():
                call.future.set_exception(
                    WorkerFailed(
                        f"The worker process that talks to openBIS and moves data {problem} "
                        f"(exit code {code}) while working on this; a new one has been "
                        "started: please try again",
                        code="worker_died",
                    )
                )

    def _notify(self, topic: str, payload: Any) -> None:
        for listener in self._listeners.get(topic, ()):
            try:
                listener(payload)
            except Exception:
                log.exception("A listener of the lab worker's %r events failed", topic)

    def _dispatch(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "progress":
            call = self._calls.get(message[1])
            if call is not None and call.progress is not None:
                _apply(call.progress, message[2])
        elif kind == "done" or kind == "failed":
            call = self._calls.get(message[1])
            if call is None or call.future.done():
                return  # a call whose caller stopped waiting
            if kind == "done":
                call.future.set_result(message[2])
            else:
                call.future.set_exception(protocol.decode_error(message[2]))
        elif kind == "event":
            self._notify(message[1], message[2])
        elif kind == "log":
            _, level, name, text = message
            if not name.startswith(PACKAGE):  # kept under the package: scrubbed, in the server log
                name = f"{PACKAGE}.worker.{name}"
            logging.getLogger(name).log(level, "%s", text)
        else:
            log.warning("Unknown message %r from the lab worker", kind)

    async def stop(self, grace: float | None = None) -> None:
        """Close the worker (it cancels its calls and undoes what it guards), kill it if it
        has not exited after `grace` seconds."""
        reader = self._reader
        await super().stop(*(() if grace is None else (grace,)))
        if reader is not None:
            reader.cancel()
        self._fail_all("was stopped with the server", None)


def _apply(progress: Progress, update: dict[str, Any]) -> None:
    if "bytes_total" in update or "files_total" in update:
        progress.set_totals(
            bytes_total=update.get("bytes_total"), files_total=update.get("files_total")
        )
    if update.get("bytes"):
        progress.add_bytes(update["bytes"])
    if update.get("files"):
        progress.file_done(update["files"])
    for key, value in (update.get("details") or {}).items():
        progress.set_detail(key, value)
    if "step" in update:
        progress.set_step(update["step"])
