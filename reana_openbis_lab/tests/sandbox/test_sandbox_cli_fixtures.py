"""The pytest plugin's fixtures: fault control on both servers, session expiry, the reana-client check."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reana_openbis_lab.sandbox.handle import Sandbox
from reana_openbis_lab.sandbox.pytest_plugin import find_reana_client_env


def test_faults_are_set_and_cleared_on_each_server(sandbox: Sandbox) -> None:
    for server in sandbox.servers():
        # Given
        base = sandbox.state[server]["url"]
        # When
        rules = sandbox.set_faults(server, [{"path": "^/nowhere$", "status": 503, "times": 1}])
        listed = httpx.get(f"{base}/__sandbox__/faults").json()["rules"]
        sandbox.clear_faults(server)
        # Then
        assert rules == listed and listed[0]["status"] == 503
        assert httpx.get(f"{base}/__sandbox__/faults").json() == {"rules": []}


def test_the_handle_exposes_urls_and_credentials(sandbox: Sandbox) -> None:
    # Then
    assert sandbox.reana_url and sandbox.reana_url.startswith("http://")
    assert sandbox.reana_token == sandbox.state["reana"]["token"]
    if sandbox.openbis_url:
        assert sandbox.openbis_users and sandbox.openbis_pat
        assert sandbox.expire_openbis_sessions() is not None


def test_an_unknown_server_is_a_clear_error(sandbox: Sandbox) -> None:
    # When / Then
    with pytest.raises(ValueError, match="runs no 'sftp' server"):
        sandbox.set_faults("sftp", [])


def test_a_missing_reana_client_env_fails_and_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given
    monkeypatch.setenv("REANA_CLIENT_ENV", str(tmp_path / "nothing-here"))
    # When
    with pytest.raises(pytest.fail.Exception) as failure:
        find_reana_client_env()
    # Then
    assert "jupyter reana-openbis-lab install-reana-client" in str(failure.value)
