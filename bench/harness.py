"""The servers the benchmarks measure, started on first use and once per run, on free loopback ports.

- openBIS sandbox with `--scale` extra datasets in the collection /BENCH/LOAD/MANY (default 10,000);
- REANA sandbox with `--scale` extra workflow runs (default 5,000);
- a Jupyter server with the extension, both sandboxes as its presets (connections `openbis` and
  `default`, the names the environment variables give), reached with a token.

Each is a child process, so the code that measures never shares an event loop or a GIL with the
code measured. The Jupyter server's port and token are read from its own runtime file.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from reana_openbis_lab_sandbox.process import SandboxProcess

OPENBIS_SCALE = 10_000
REANA_SCALE = 5_000
STARTUP_TIMEOUT = 180.0
#: the upload the issue names (1 GiB); `--upload-mib` makes it smaller for quick runs
UPLOAD_MIB = 1024
OPENBIS_CONNECTION = "openbis"
REANA_CONNECTION = "default"


@dataclass(frozen=True)
class Jupyter:
    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def api(self, path: str) -> str:
        return f"{self.url}/reana-openbis-lab{path}"


class Context:
    """What a benchmark may ask for; only what some benchmark asked for is started."""

    def __init__(self, runs: int, upload_mib: int = UPLOAD_MIB) -> None:
        self.runs = runs
        #: size of the file every upload benchmark sends
        self.upload_mib = upload_mib
        self.workdir = Path(tempfile.mkdtemp(prefix="reana-openbis-lab-bench-"))
        self._sandboxes: list[SandboxProcess] = []
        self._jupyter: Jupyter | None = None
        #: what one benchmark prepared and another may reuse (e.g. a workflow holding a big file)
        self.shared: dict[str, Any] = {}

    def sandbox(self, *args: str) -> dict[str, Any]:
        """Start one more sandbox with these arguments; it stops with the context."""
        workdir = self.workdir / f"sandbox-{len(self._sandboxes)}"
        workdir.mkdir()
        process = SandboxProcess(args, workdir=workdir)
        self._sandboxes.append(process)
        return process.start(timeout=STARTUP_TIMEOUT)

    @cached_property
    def openbis(self) -> dict[str, Any]:
        return self.openbis_sandbox(OPENBIS_SCALE)

    def openbis_sandbox(self, scale: int) -> dict[str, Any]:
        """One more openBIS sandbox; `files` is where its data store keeps each dataset's bytes."""
        state = self.sandbox("--only", "openbis", "--scale", str(scale))
        return {**state["openbis"], "files": str(Path(state["data_dir"]) / "openbis" / "store")}

    @cached_property
    def reana(self) -> dict[str, Any]:
        return self.reana_sandbox(REANA_SCALE)

    def reana_sandbox(self, scale: int) -> dict[str, Any]:
        """One more REANA sandbox with `scale` extra workflow runs."""
        return self.sandbox("--only", "reana", "--scale", str(scale))["reana"]

    @cached_property
    def jupyter(self) -> Jupyter:
        self._jupyter = start_jupyter(self.workdir / "jupyter", self.openbis, self.reana)
        return self._jupyter

    def close(self) -> None:
        if self._jupyter is not None:
            stop(self._jupyter.process)
        for sandbox in reversed(self._sandboxes):
            sandbox.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def start_jupyter(workdir: Path, openbis: dict[str, Any], reana: dict[str, Any]) -> Jupyter:
    root, runtime = workdir / "root", workdir / "runtime"
    root.mkdir(parents=True)
    config, token = workdir / "bench_config.py", secrets.token_urlsafe(24)
    config.write_text(
        f"c.IdentityProvider.token = {token!r}\n"
        f"c.ServerApp.root_dir = {str(root)!r}\n"
        "c.ServerApp.ip = '127.0.0.1'\n"
        "c.ServerApp.port = 0\n"
        "c.ServerApp.open_browser = False\n"
        "c.ServerApp.allow_root = True\n"
        'c.ServerApp.jpserver_extensions = {"reana_openbis_lab": True}\n'
        f"c.ReanaOpenbisLab.data_dir = {str(workdir / 'data')!r}\n"
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "OPENBIS_URL": openbis["url"],
        "OPENBIS_USERNAME": "alice",
        "OPENBIS_PASSWORD": openbis["users"]["alice"],
        "REANA_SERVER_URL": reana["url"],
        "REANA_ACCESS_TOKEN": reana["token"],
    }
    with open(workdir / "jupyter.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--config={config}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    info_file = runtime / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the Jupyter server exited:\n{(workdir / 'jupyter.log').read_text()}")
        with contextlib.suppress(OSError, ValueError):
            info = json.loads(info_file.read_text())
            jupyter = Jupyter(f"http://127.0.0.1:{info['port']}", token, root, process)
            if httpx.get(jupyter.api("/info"), headers=jupyter.headers, timeout=10).is_success:
                return jupyter
        time.sleep(0.2)
    stop(process)
    raise SystemExit(f"the Jupyter server did not start within {STARTUP_TIMEOUT:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_job(jupyter: Jupyter, job_id: str, interval: float = 0.02) -> dict[str, Any]:
    """Poll `GET /jobs/<id>` until the job ends; the job's last state."""
    with httpx.Client(headers=jupyter.headers, timeout=120) as client:
        while True:
            job = client.get(jupyter.api(f"/jobs/{job_id}")).json()
            if job["state"] in ("done", "failed", "cancelled"):
                return job
            time.sleep(interval)
