"""Keeps one warm reana-client worker process for the Jupyter server (`Services.reana_worker`).

The worker (worker/spec_worker.py, run with the reana-client environment's Python) is
started on first use and then kept, so validations skip reana-client's second of imports.
Requests are answered one at a time. A request that takes too long gets the worker
killed and a 504; a worker that dies mid-request answers that request with an error
and is started again; nothing here ever waits without a timeout, so a pathological spec
cannot hang the server. The worker gets a scrubbed environment: no tokens, no secrets.
Starting, watching, killing and stopping are the same as for the lab worker
(`supervision.SupervisedProcess`); only the protocol (JSON lines) is its own.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import anyio

from ..errors import NotAvailable, UpstreamError, UpstreamTimeout
from ..supervision import SupervisedProcess
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
#: Variables passed to the worker; everything else (tokens in REANA_ACCESS_TOKEN...) stays out.
PASSED_ENV = ("HOME", "TMPDIR", "TMP", "TEMP", "SYSTEMROOT")


async def decode_big(raw: bytes) -> Any:
    return await anyio.to_thread.run_sync(json.loads, raw)


class WorkerFailed(UpstreamError):
    """The worker process broke (died, or spoke something other than the protocol)."""


class SpecWorker(SupervisedProcess):
    """The supervised worker: `await request("validate", path=..., workspace=...)`."""

    label = "reana-client worker"

    def __init__(
        self,
        env: Path,
        *,
        request_timeout: float = 60.0,
        start_timeout: float = 120.0,
        max_spec_bytes: int = 5 * 1024 * 1024,
    ):
        super().__init__()
        self.env = env
        #: Largest spec file handed to reana-client (checked before it is read).
        self.max_spec_bytes = max_spec_bytes
        self.info = describe(env)
        self.request_timeout = request_timeout
        self.start_timeout = start_timeout
        # One request at a time, and a restart never overlaps one.
        self._lock = self._start_lock
        self._ids = itertools.count(1)
        self.ready_info: dict[str, Any] | None = None

    # ---- public --------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.info.available

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
        """Callers hold `_lock` (which is `_start_lock`)."""
        proc = self._proc
        if proc is not None and proc.returncode is None:
            return proc
        await self._forget(proc)
        return await self._start()

    async def _ensure_started_locked(self) -> asyncio.subprocess.Process:
        return await self._ensure_started()

    async def _start(self) -> asyncio.subprocess.Process:
        python = self.info.python
        assert python is not None
        environment = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        environment.update(
            PATH=os.pathsep.join([str(env_bin(self.env)), os.environ.get("PATH", os.defpath)]),
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
        )
        try:
            proc = await self._spawn(
                [str(python), "-I", str(WORKER_SCRIPT)],
                env=environment,
                cwd=tempfile.gettempdir(),
                limit=MAX_LINE,
            )
        except OSError as exc:
            raise NotAvailable(
                f"Could not start reana-client from {self.env} ({exc.strerror}); {INSTALL_HINT}",
                code="reana_client_broken",
            ) from None
        try:
            assert proc.stdout is not None
            raw = await asyncio.wait_for(proc.stdout.readline(), self.start_timeout)
            ready = json.loads(raw) if raw else None
        except (asyncio.TimeoutError, ValueError):
            ready = None
        if not isinstance(ready, dict) or not ready.get("ok"):
            await self._kill(proc)
            await self._forget(proc)
            reason = self._last_stderr()
            raise NotAvailable(
                f"reana-client in {self.env} does not start ({reason}); "
                "run `jupyter reana-openbis-lab install-reana-client --force`",
                code="reana_client_broken",
            )
        self.ready_info = ready.get("result")
        log.info("reana-client worker started (pid %s)", proc.pid)
        return proc
