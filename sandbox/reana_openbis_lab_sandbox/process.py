"""Run the sandbox CLI as a child process and wait for its state file (fixtures, benchmarks, demos).

A separate process keeps the servers' event loop away from the code under test: a test
that blocks (pybis has no timeouts) cannot freeze the servers it talks to.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

READY_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0


class SandboxStartError(RuntimeError):
    """The sandbox exited or stayed silent; the message carries its output."""


class SandboxProcess:
    def __init__(self, args: Sequence[str] = (), *, workdir: Path | None = None) -> None:
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="reana-openbis-lab-sandbox-run-"))
        self.state_file = self.workdir / "state.json"
        self.args = [*args, "--state-file", str(self.state_file)]
        self.process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None

    def start(self, timeout: float = READY_TIMEOUT) -> dict[str, Any]:
        """Start and return the state once the sandbox wrote it."""
        self._output = open(self.workdir / "output.log", "wb")  # noqa: SIM115 - closed in stop()
        command = [sys.executable, "-m", "reana_openbis_lab_sandbox.cli", *self.args]
        self.process = subprocess.Popen(command, stdout=self._output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not self.state_file.exists():
            if self.process.poll() is not None:
                self.stop()
                raise SandboxStartError(
                    f"the sandbox exited with code {self.process.returncode}:\n{self.output()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise SandboxStartError(
                    f"the sandbox was not ready after {timeout:.0f} s:\n{self.output()}"
                )
            time.sleep(0.05)
        return json.loads(self.state_file.read_text())

    def output(self) -> str:
        log = self.workdir / "output.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not stop in time; returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the sandbox stops its servers and cleans up
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._output is not None:
            self._output.close()
            self._output = None
        return self.process.returncode
