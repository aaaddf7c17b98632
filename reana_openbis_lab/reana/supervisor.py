"""Keeps one warm reana-client worker process for the Jupyter server (`Services.reana_worker`).

The worker (worker/spec_worker.py, run with the reana-client environment's Python) is
started on first use and then kept, so validations skip reana-client's second of imports.
Requests are answered one at a time. A request that takes too long gets the worker
killed and a 504; a worker that dies mid-request answers that request with an error
and is started again; nothing here ever waits without a timeout, so a pathological spec
cannot hang the server. The worker gets a scrubbed environment: no tokens, no secrets.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import logging
import os
import signal
import tempfile
from pathlib import Path
from typing import Any

import anyio

from ..errors import NotAvailable, UpstreamError, UpstreamTimeout
from .environment import describe, env_bin
from .worker import WORKER_SCRIPT

log = logging.getLogger(__name__)

#: The command that creates the reana-client environment (named by /info and the 503s).
INSTALL_COMMAND = "jupyter reana-openbis-lab install-reana-client"
INSTALL_HINT = f"run `{INSTALL_COMMAND}` and restart the server"
#: Longest protocol line accepted from the worker (a packed CWL workflow can be large).
MAX_LINE = 64 * 1024 * 1024
#: Answers longer than this (a packed CWL workflow) are decoded in a thread, off the loop.
BIG_LINE = 256 * 1024
#: Seconds the worker gets to exit after its stdin is closed before it is killed.
STOP_GRACE = 3.0
#: stderr lines kept to explain a worker that fails to start.
STDERR_TAIL = 30
#: Variables passed to the worker; everything else (tokens in REANA_ACCESS_TOKEN...) stays out.
PASSED_ENV = ("HOME", "TMPDIR", "TMP", "TEMP", "SYSTEMROOT")


async def decode_big(raw: bytes) -> Any:
    return await anyio.to_thread.run_sync(json.loads, raw)


class WorkerFailed(UpstreamError):
    """The worker process broke (died, or spoke something other than the protocol)."""


class SpecWorker:
    """The supervised worker: `await request("validate", path=..., workspace=...)`."""

    def __init__(
        self,
        env: Path,
        *,
        request_timeout: float = 60.0,
        start_timeout: float = 120.0,
        max_spec_bytes: int = 5 * 1024 * 1024,
    ):
        self.env = env
        #: Largest spec file handed to reana-client (checked before it is read).
        self.max_spec_bytes = max_spec_bytes
        self.info = describe(env)
        self.request_timeout = request_timeout
        self.start_timeout = start_timeout
        self._lock = asyncio.Lock()
        self._proc: asyncio.subprocess.Process | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL)
        self._ids = itertools.count(1)
        self._restart_task: asyncio.Task[None] | None = None
        self._stopping = False
        self.ready_info: dict[str, Any] | None = None
        self.starts = 0

    # ---- public --------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.info.available

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.returncode is None else None

    def require(self) -> None:
        """Raise the 503 that names the install command when there is no environment."""
        if not self.available:
            raise NotAvailable(
                f"reana-client is not installed for this server (looked in {self.env}); "
                f"{INSTALL_HINT}",
                code="reana_client_missing",
            )

    async def request(self, op: str, *, timeout: float | None = None, **arguments: Any) -> Any:
        """Send one request and return its `result`; the worker's error becomes WorkerFailed."""
        self.require()
        limit = timeout or self.request_timeout
        async with self._lock:
            proc = await self._ensure_started()
            request_id = next(self._ids)
            line = json.dumps({"id": request_id, "op": op, **arguments}) + "\n"
            try:
                assert proc.stdin is not None
                proc.stdin.write(line.encode("utf-8"))
                await proc.stdin.drain()
                answer = await asyncio.wait_for(self._read_answer(proc, request_id), limit)
            except asyncio.TimeoutError:
                await self._kill(proc)
                self._schedule_restart()
                raise UpstreamTimeout(
                    f"reana-client needed more than {limit:g} s for this request; "
                    "it was stopped (a new one is starting)",
                    code="worker_timeout",
                ) from None
            except (ConnectionError, BrokenPipeError):
                raise await self._died(proc) from None
        if not answer.get("ok"):
            error = answer.get("error") or {}
            # The worker names its exception class; the API speaks the closed ErrorCode list.
            invalid = error.get("type") == "SpecInvalid"
            raise WorkerFailed(
                str(error.get("message") or "reana-client failed"),
                code="spec_invalid" if invalid else "worker_error",
            )
        return answer.get("result")

    async def stop(self) -> None:
        """Close the worker with the server; kill it if it does not exit promptly."""
        self._stopping = True
        if self._restart_task is not None:
            self._restart_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._restart_task
        proc = self._proc
        if proc is not None and proc.returncode is None:
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                await asyncio.wait_for(proc.wait(), STOP_GRACE)
            except asyncio.TimeoutError:
                await self._kill(proc)
        await self._forget(proc)

    # ---- internals -----------------------------------------------------------------------

    async def _read_answer(self, proc: asyncio.subprocess.Process, request_id: int) -> dict:
        """Read lines until this request's answer; older ones belong to abandoned requests."""
        assert proc.stdout is not None
        while True:
            try:
                raw = await proc.stdout.readline()
            except ValueError:  # a line longer than MAX_LINE
                await self._kill(proc)
                self._schedule_restart()
                raise WorkerFailed(
                    "reana-client's answer was too large to accept", code="worker_protocol"
                ) from None
            if not raw:
                raise await self._died(proc)
            try:
                answer = json.loads(raw) if len(raw) < BIG_LINE else await decode_big(raw)
            except ValueError:
                await self._kill(proc)
                self._schedule_restart()
                raise WorkerFailed(
                    "reana-client's worker wrote something other than its protocol; "
                    "it was restarted",
                    code="worker_protocol",
                ) from None
            if isinstance(answer, dict) and answer.get("id") == request_id:
                return answer

    async def _died(self, proc: asyncio.subprocess.Process) -> WorkerFailed:
        code = await proc.wait()
        await self._forget(proc)
        self._schedule_restart()
        return WorkerFailed(
            f"The reana-client worker stopped unexpectedly (exit code {code}) while working "
            "on this request; it is being restarted, please try again",
            code="worker_died",
        )

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            return proc
        await self._forget(proc)
        return await self._start()

    async def _start(self) -> asyncio.subprocess.Process:
        python = self.info.python
        assert python is not None
        environment = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        environment.update(
            PATH=os.pathsep.join([str(env_bin(self.env)), os.environ.get("PATH", os.defpath)]),
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
        )
        self._stderr_tail.clear()
        try:
            proc = await asyncio.create_subprocess_exec(
                str(python),
                "-I",
                str(WORKER_SCRIPT),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                cwd=tempfile.gettempdir(),
                limit=MAX_LINE,
                start_new_session=True,  # Ctrl-C in the server's terminal is for the server
            )
        except OSError as exc:
            raise NotAvailable(
                f"Could not start reana-client from {self.env} ({exc.strerror}); {INSTALL_HINT}",
                code="reana_client_broken",
            ) from None
        self._proc = proc
        self.starts += 1
        self._stderr_task = asyncio.ensure_future(self._drain_stderr(proc))
        try:
            assert proc.stdout is not None
            raw = await asyncio.wait_for(proc.stdout.readline(), self.start_timeout)
            ready = json.loads(raw) if raw else None
        except (asyncio.TimeoutError, ValueError):
            ready = None
        if not isinstance(ready, dict) or not ready.get("ok"):
            await self._kill(proc)
            await self._forget(proc)
            reason = self._stderr_tail[-1] if self._stderr_tail else "no output"
            raise NotAvailable(
                f"reana-client in {self.env} does not start ({reason}); "
                "run `jupyter reana-openbis-lab install-reana-client --force`",
                code="reana_client_broken",
            )
        self.ready_info = ready.get("result")
        log.info("reana-client worker started (pid %s)", proc.pid)
        return proc

    async def _drain_stderr(self, proc: asyncio.subprocess.Process) -> None:
        """Keep the pipe flowing; what reana-client and cwltool log goes to the debug log."""
        assert proc.stderr is not None
        while True:
            try:
                raw = await proc.stderr.readline()
            except ValueError:
                continue
            if not raw:
                return
            text = raw.decode("utf-8", "replace").rstrip()
            if text:
                self._stderr_tail.append(text[:500])
                log.debug("reana-client worker: %s", text[:2000])

    def _schedule_restart(self) -> None:
        """Start a fresh worker in the background so the next request finds it warm."""
        if self._stopping or (self._restart_task is not None and not self._restart_task.done()):
            return
        self._restart_task = asyncio.ensure_future(self._restart())

    async def _restart(self) -> None:
        async with self._lock:
            if self._stopping:
                return
            try:
                await self._ensure_started()
            except NotAvailable as exc:
                log.warning("reana-client worker did not restart: %s", exc.message)

    async def _kill(self, proc: asyncio.subprocess.Process) -> None:
        """Kill the worker and what it started (a `cwltool` subprocess shares its group)."""
        if proc.returncode is None:
            if hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        await proc.wait()

    async def _forget(self, proc: asyncio.subprocess.Process | None) -> None:
        if proc is None:
            return
        if self._proc is proc:
            self._proc = None
        task = self._stderr_task
        if task is not None:
            self._stderr_task = None
            try:
                await asyncio.wait_for(task, 1.0)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                task.cancel()
