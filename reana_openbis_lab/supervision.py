"""What the extension's helper processes share: start, watch, restart, stop, never wait forever.

The Jupyter server keeps client libraries out of its own process: reana-client runs in the
spec worker (`reana.supervisor`), pybis and every transfer's bytes in the lab worker
(`worker.client`). Both are children supervised the same way, by a subclass of
`SupervisedProcess`:

- started on first use, in a session of its own (Ctrl-C in the server's terminal is for the
  server), with a scrubbed environment chosen by the subclass;
- its stderr is read all the time (a full pipe would block it) and logged at DEBUG, the
  last lines kept to explain a start that fails;
- killed with its whole process group (a cwltool or sshfs it started goes too) when it
  hangs, and restarted in the background after a crash, so the next request finds it warm;
- stopped with the server: its stdin is closed, which a worker takes as "finish and exit",
  and it is killed if it has not exited after a grace period.

A worker also notices on its own that the server is gone (its stdin ends), so nothing it
runs outlives a server that was killed or stopped without running its shutdown hooks.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import signal
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

#: Seconds a worker gets to exit after its stdin is closed before it is killed.
STOP_GRACE = 3.0
#: stderr lines kept to explain a worker that fails to start.
STDERR_TAIL = 30
#: Longest stderr line logged (a traceback's repr of a big object can be huge).
MAX_LOGGED_LINE = 2000


class SupervisedProcess:
    """One helper process: `_spawn` it, `_kill` it, `_schedule_restart` after a crash.

    Subclasses add the protocol (how a request is written and its answer read) and
    `_ensure_started`, which starts the process when none runs (under `_start_lock`).
    """

    #: How the process is named in log lines and messages.
    label = "worker"

    def __init__(self) -> None:
        self._proc: asyncio.subprocess.Process | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL)
        self._restart_task: asyncio.Task[None] | None = None
        self._start_lock = asyncio.Lock()
        self._stopping = False
        self.starts = 0

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.returncode is None else None

    @property
    def running(self) -> bool:
        return self.pid is not None

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        raise NotImplementedError

    async def _spawn(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        cwd: str | Path,
        limit: int = 2**16,
    ) -> asyncio.subprocess.Process:
        """Start the process with pipes on stdin, stdout and stderr (OSError if it cannot)."""
        self._stderr_tail.clear()
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=str(cwd),
            limit=limit,
            start_new_session=True,
        )
        self._proc = proc
        self.starts += 1
        self._stderr_task = asyncio.ensure_future(self._drain_stderr(proc))
        return proc

    def _last_stderr(self) -> str:
        return self._stderr_tail[-1] if self._stderr_tail else "no output"

    async def _drain_stderr(self, proc: asyncio.subprocess.Process) -> None:
        """Keep the pipe flowing; what the process logs goes to the server's debug log."""
        assert proc.stderr is not None
        while True:
            try:
                raw = await proc.stderr.readline()
            except ValueError:  # a line longer than the limit: skipped
                continue
            if not raw:
                return
            text = raw.decode("utf-8", "replace").rstrip()
            if text:
                self._stderr_tail.append(text[:500])
                self._log_stderr(text[:MAX_LOGGED_LINE])

    def _log_stderr(self, text: str) -> None:
        log.debug("%s: %s", self.label, text)

    def _schedule_restart(self) -> None:
        """Start a fresh process in the background so that the next request finds it warm."""
        if self._stopping or (self._restart_task is not None and not self._restart_task.done()):
            return
        self._restart_task = asyncio.ensure_future(self._restart())

    async def _restart(self) -> None:
        async with self._start_lock:
            if self._stopping:
                return
            try:
                await self._ensure_started_locked()
            except Exception as exc:  # logged; the next request tries again and reports it
                log.warning("The %s did not restart: %s", self.label, exc)

    async def _ensure_started_locked(self) -> asyncio.subprocess.Process:
        """`_ensure_started` for callers that hold `_start_lock` already."""
        raise NotImplementedError

    async def _kill(self, proc: asyncio.subprocess.Process) -> None:
        """Kill the process and what it started (they share its process group)."""
        if proc.returncode is None:
            if hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError, PermissionError):
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

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Close the process with the server; kill it if it does not exit within `grace`."""
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
                await asyncio.wait_for(proc.wait(), grace)
            except asyncio.TimeoutError:
                log.warning("The %s did not exit within %g s: killed", self.label, grace)
                await self._kill(proc)
        await self._forget(proc)
