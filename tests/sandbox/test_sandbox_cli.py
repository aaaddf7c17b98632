"""`reana-openbis-lab-sandbox`: starts, describes itself in the state file, and stops without leftovers."""

from __future__ import annotations

import importlib.util
import signal
import socket
from pathlib import Path

import httpx
import pytest

from reana_openbis_lab_sandbox.credentials import REANA_TOKEN
from reana_openbis_lab_sandbox.process import SandboxProcess, SandboxStartError

SFTP_AVAILABLE = importlib.util.find_spec("asyncssh") is not None


def test_the_state_file_describes_every_server_and_sigterm_cleans_up(tmp_path: Path) -> None:
    # Given
    process = SandboxProcess(["--sftp"] if SFTP_AVAILABLE else [], workdir=tmp_path)
    # When
    state = process.start()
    try:
        reana = httpx.get(f"{state['reana']['url']}/api/you", params={"access_token": REANA_TOKEN})
        openbis = httpx.get(f"{state['openbis']['url']}/__sandbox__/faults")
    finally:
        code = process.stop()
    # Then
    assert reana.json()["email"] == state["reana"]["user_email"]
    assert openbis.json() == {"rules": []}
    assert state["openbis"]["users"] and state["openbis"]["pat"] and state["reana"]["token"]
    assert state["tls"] is False and state["ca_cert"] is None
    if SFTP_AVAILABLE:
        assert state["sftp"]["port"] > 0
    assert code == 0
    assert not Path(state["data_dir"]).exists()
    assert not process.state_file.exists()


def test_ctrl_c_stops_it_as_cleanly_as_sigterm(tmp_path: Path) -> None:
    # Given
    process = SandboxProcess(["--only", "reana", "--tls"], workdir=tmp_path)
    state = process.start()
    assert process.process is not None
    # When
    process.process.send_signal(signal.SIGINT)
    code = process.process.wait(timeout=30)
    process.stop()
    # Then
    assert code == 0
    assert not Path(state["data_dir"]).exists() and not process.state_file.exists()
    assert "Traceback" not in process.output()


def test_a_given_data_dir_is_kept_after_stopping(tmp_path: Path) -> None:
    # Given
    data_dir = tmp_path / "data"
    process = SandboxProcess(["--only", "reana", "--data-dir", str(data_dir)], workdir=tmp_path)
    # When
    state = process.start()
    code = process.stop()
    # Then
    assert code == 0 and state["openbis"] is None
    assert (data_dir / "reana" / "workspaces").is_dir()


def test_a_taken_port_fails_with_a_clear_message(tmp_path: Path) -> None:
    # Given
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = SandboxProcess(["--only", "reana", "--reana-port", str(port)], workdir=tmp_path)
        # When
        with pytest.raises(SandboxStartError) as failure:
            process.start()
    # Then
    assert f"cannot listen on 127.0.0.1:{port}" in str(failure.value)


def test_a_scaled_sandbox_lists_thousands_of_runs(tmp_path: Path) -> None:
    # Given
    process = SandboxProcess(["--only", "reana", "--scale", "5000"], workdir=tmp_path)
    state = process.start()
    # When
    try:
        page = httpx.get(
            f"{state['reana']['url']}/api/workflows",
            params={
                "access_token": REANA_TOKEN,
                "type": "batch",
                "size": 20,
                "page": 3,
                "status": ",".join(
                    [
                        "created",
                        "queued",
                        "pending",
                        "running",
                        "finished",
                        "failed",
                        "stopped",
                        "deleted",
                    ]
                ),
            },
        ).json()
    finally:
        process.stop()
    # Then
    assert page["total"] == 5008 and len(page["items"]) == 20
