"""The pytest plugin's fixtures (fault control on both servers, session expiry) and the reana-client check."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reana_openbis_lab_sandbox.handle import Sandbox
from tests.reana_client_env import find_reana_client_env


def test_faults_are_set_and_cleared_on_each_server(rol_sandbox: Sandbox) -> None:
    for server in rol_sandbox.servers():
        # Given
        base = rol_sandbox.state[server]["url"]
        # When
        rules = rol_sandbox.set_faults(server, [{"path": "^/nowhere$", "status": 503, "times": 1}])
        listed = httpx.get(f"{base}/__sandbox__/faults").json()["rules"]
        rol_sandbox.clear_faults(server)
        # Then
        assert rules == listed and listed[0]["status"] == 503
        assert httpx.get(f"{base}/__sandbox__/faults").json() == {"rules": []}


def test_the_handle_exposes_urls_and_credentials(rol_sandbox: Sandbox) -> None:
    # Then
    assert rol_sandbox.reana_url and rol_sandbox.reana_url.startswith("http://")
    assert rol_sandbox.reana_token == rol_sandbox.state["reana"]["token"]
    if rol_sandbox.openbis_url:
        assert rol_sandbox.openbis_users and rol_sandbox.openbis_pat
        assert rol_sandbox.expire_openbis_sessions() is not None


def test_an_unknown_server_is_a_clear_error(rol_sandbox: Sandbox) -> None:
    # When / Then
    with pytest.raises(ValueError, match="runs no 'sftp' server"):
        rol_sandbox.set_faults("sftp", [])


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
