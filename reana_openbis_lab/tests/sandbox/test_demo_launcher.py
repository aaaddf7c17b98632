"""`make demo`'s launcher: JupyterLab comes up with both sandboxes as presets, and however it
is stopped (SIGTERM from a test runner, or SIGKILL of the launcher), no sandbox is left running."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

TOKEN = "demo-launcher-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def launcher(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reana_openbis_lab.sandbox.demo",
            "--dir",
            str(tmp_path / "demo"),
            "--port",
            str(port),
            "--",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state_file = tmp_path / "demo" / "sandbox.json"
    base = f"http://127.0.0.1:{port}"

    def lab_answers() -> bool:
        assert process.poll() is None, "the launcher exited early"
        try:
            return (
                httpx.get(f"{base}/api/status", params={"token": TOKEN}, timeout=2).status_code
                == 200
            )
        except httpx.HTTPError:
            return False

    try:
        wait_until(lab_answers, 120, "JupyterLab")
        state = json.loads(state_file.read_text())
        yield process, base, state
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_lab_starts_with_the_sandboxes_as_presets_and_sigterm_stops_everything(
    launcher, tmp_path
) -> None:
    process, base, state = launcher
    headers = {"Authorization": f"token {TOKEN}"}
    openbis = httpx.get(f"{base}/reana-openbis-lab/openbis/connections", headers=headers).json()
    reana = httpx.get(f"{base}/reana-openbis-lab/reana/connections", headers=headers).json()
    assert state["openbis"]["url"] in json.dumps(openbis)
    assert state["reana"]["url"] in json.dumps(reana)
    assert (tmp_path / "demo" / "workspace" / "analysis" / "reana.yaml").exists()

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    wait_until(lambda: not alive(state["pid"]), 30, "the sandbox to stop")


def test_killing_the_launcher_outright_still_stops_sandbox_and_lab(launcher) -> None:
    process, base, state = launcher
    process.kill()
    process.wait()
    wait_until(lambda: not alive(state["pid"]), 30, "the sandbox to stop")

    def lab_gone() -> bool:
        try:
            httpx.get(f"{base}/api/status", timeout=1)
        except httpx.HTTPError:
            return True
        return False

    wait_until(lab_gone, 30, "JupyterLab to stop")
