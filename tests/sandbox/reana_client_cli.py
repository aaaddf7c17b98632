"""Run the real reana-client CLI from its own environment against a sandbox.

The server URL and token go into the child's environment only: reana-client reads them at
import time, so they must never leak into (or come from) the test process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from reana_openbis_lab_sandbox.handle import Sandbox

COMMAND_TIMEOUT = 120
TERMINAL = ("finished", "failed", "stopped", "deleted")


class ReanaClient:
    def __init__(self, env: Path, sandbox: Sandbox, cwd: Path, *, token: str | None = None) -> None:
        self.executable = env / "bin" / "reana-client"
        self.cwd = cwd
        self.environ = {
            key: value for key, value in os.environ.items() if not key.startswith("REANA_")
        }
        self.environ.update(
            REANA_SERVER_URL=sandbox.reana_url or "",
            REANA_ACCESS_TOKEN=token if token is not None else sandbox.reana_token or "",
            PYTHONWARNINGS="ignore",
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.executable), *args],
            cwd=self.cwd,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    def ok(self, *args: str) -> str:
        """stdout of a command that must succeed; the failure message shows everything."""
        done = self.run(*args)
        assert done.returncode == 0, (
            f"reana-client {' '.join(args)} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    def create(self, name: str, spec: Path) -> str:
        """`reana-client create`; returns the run's `name.N` it printed (it also uploads the spec)."""
        output = self.ok("create", "-n", name, "-f", str(spec))
        runs = re.findall(rf"^{re.escape(name)}\.\d+$", output, flags=re.MULTILINE)
        assert len(runs) == 1, output
        return runs[0]

    def rows(self, *args: str) -> list[dict[str, Any]]:
        """A listing command's rows, asked for as JSON."""
        return json.loads(self.ok(*args, "--json"))

    def wait_status(
        self, workflow: str, wanted: tuple[str, ...] = TERMINAL, timeout: float = 90
    ) -> str:
        """Poll `reana-client status` until the run reaches one of `wanted` (a liveness bound, not a speed check)."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.rows("status", "-w", workflow)[0]["status"]
            if status in wanted or time.monotonic() > deadline:
                return status
            time.sleep(0.3)


class Client095:
    """reana-client 0.95.0a6: servers saved in a config file under its own HOME, the token
    passed with `-t` (from the environment it must look like a JWT)."""

    def __init__(self, env: Path, sandbox: Sandbox, home: Path, cwd: Path) -> None:
        self.executable = str(env / "bin" / "reana-client")
        self.token = sandbox.reana_token or ""
        self.cwd = cwd
        self.environ = {k: v for k, v in os.environ.items() if not k.startswith("REANA_")}
        self.environ.update(
            HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), PYTHONWARNINGS="ignore"
        )
        self.ok("server-add", sandbox.reana_url or "", token=False)
        self.ok("server-use", sandbox.reana_url or "", token=False)

    def run(self, *args: str, token: bool = True) -> subprocess.CompletedProcess[str]:
        command = [self.executable, *args, *(["-t", self.token] if token else [])]
        return subprocess.run(
            command,
            cwd=self.cwd,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def ok(self, *args: str, token: bool = True) -> str:
        done = self.run(*args, token=token)
        assert done.returncode == 0, f"{args} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done.stdout + done.stderr
