"""Logging in and out of the sandbox openBIS with the real pybis: passwords, tokens, expiry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pybis
import pytest

from reana_openbis_lab.errors import LoginRequired

from .openbis_core_fixtures import BASE, CONNECTION, assert_nowhere, connect, extension_config  # noqa: F401


async def test_password_login_status_and_logout(api, rol_sandbox) -> None:
    # Given alice logged in with her password
    info = await connect(api, rol_sandbox)
    assert (info["status"], info["hasSecret"], info["loggedInAs"]) == ("connected", True, "alice")
    # When the status is checked
    status, info = await api("GET", f"{BASE}/status")
    # Then openBIS confirms the session
    assert (status, info["status"]) == (200, "connected")
    # When she logs out
    status, info = await api("POST", f"{BASE}/logout")
    # Then the session and the password are gone, and browsing asks her to log in
    assert (status, info["status"], info["hasSecret"]) == (200, "disconnected", False)
    status, body = await api("GET", f"{BASE}/spaces")
    assert (status, body["code"]) == (401, "login_required")
    assert "log in" in body["message"]


async def test_a_wrong_password_is_a_403_that_leaks_nothing(
    api, rol_sandbox, capsys, caplog
) -> None:
    # Given a connection
    await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": rol_sandbox.openbis_url, "username": "alice"},
    )
    wrong = "wrong-password-7f3a9c"
    # When alice types a wrong password
    status, body = await api("POST", f"{BASE}/login", {"password": wrong})
    # Then openBIS' refusal is a 403 with a clear message, and the password is nowhere
    assert status == 403
    assert "openBIS rejected the credentials" in body["message"]
    assert body["code"] == "credentials_rejected"
    status, info = await api("GET", f"{BASE}")
    assert (info["hasSecret"], info["status"]) == (False, "disconnected")
    out, err = capsys.readouterr()
    assert_nowhere([wrong], json.dumps(body), json.dumps(info), out, err, records=caplog.records)


async def test_a_personal_access_token_logs_in_as_its_owner(api, rol_sandbox) -> None:
    # Given a connection that logs in with a personal access token
    status, _ = await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": rol_sandbox.openbis_url, "auth": "token"},
    )
    assert status == 201
    # When alice logs in with her token
    status, info = await api("POST", f"{BASE}/login", {"token": rol_sandbox.openbis_pat})
    # Then she is connected as herself, the token is never shown, and browsing works
    assert (status, info["status"], info["loggedInAs"], info["hasSecret"]) == (
        200,
        "connected",
        "alice",
        True,
    )
    assert rol_sandbox.openbis_pat not in json.dumps(info)
    status, _ = await api("GET", f"{BASE}/spaces")
    assert status == 200
    # And a token openBIS does not know is refused like a wrong password
    status, body = await api("POST", f"{BASE}/login", {"token": "alice-260101000000000xNOTATOKEN"})
    assert (status, body["code"]) == (403, "credentials_rejected")


async def test_an_expired_session_is_renewed_with_the_password_in_memory(api, rol_sandbox) -> None:
    # Given alice logged in, and openBIS then dropped every session
    await connect(api, rol_sandbox)
    assert rol_sandbox.expire_openbis_sessions()["expired"] >= 1
    # When she browses
    status, spaces = await api("GET", f"{BASE}/spaces")
    # Then the extension logged in again by itself and answered
    assert status == 200 and spaces["total"] > 0
    rol_sandbox.expire_openbis_sessions()
    status, info = await api("GET", f"{BASE}/status")
    assert (status, info["status"]) == (200, "connected")


async def test_without_a_remembered_secret_an_expired_session_asks_to_log_in_again(
    api, rol_sandbox
) -> None:
    # Given alice logged in but asked the server not to keep her password
    info = await connect(
        api, rol_sandbox, password=rol_sandbox.openbis_users["alice"], remember=False
    )
    assert (info["status"], info["hasSecret"]) == ("connected", False)
    status, _ = await api("GET", f"{BASE}/spaces")
    assert status == 200
    # When openBIS drops the session
    rol_sandbox.expire_openbis_sessions()
    # Then browsing answers 401 "log in again", and the status says expired
    status, body = await api("GET", f"{BASE}/spaces")
    assert (status, body["code"]) == (401, "login_required")
    assert "log in again" in body["message"]
    status, info = await api("GET", f"{BASE}/status")
    assert info["status"] == "expired"
    # And logging in again brings everything back
    status, info = await api(
        "POST", f"{BASE}/login", {"password": rol_sandbox.openbis_users["alice"]}
    )
    assert (status, info["status"]) == (200, "connected")


async def test_pybis_token_files_are_neither_read_nor_written(
    api, rol_sandbox, tmp_path: Path, monkeypatch
) -> None:
    # Given a home folder holding a valid token of admin's in pybis' token file for this host
    monkeypatch.setenv("HOME", str(tmp_path))
    admin = pybis.Openbis(
        rol_sandbox.openbis_url,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    admin.login("admin", rol_sandbox.openbis_users["admin"], save_token=True)
    token_file = tmp_path / ".pybis" / f"{admin.hostname}.token"
    assert token_file.read_text() == admin.token
    # When a connection is added and used without logging in
    status, _ = await api(
        "POST", "openbis/connections", {"name": CONNECTION, "url": rol_sandbox.openbis_url}
    )
    status, body = await api("GET", f"{BASE}/spaces")
    # Then the saved token was not picked up
    assert (status, body["code"]) == (401, "login_required")
    # And logging in and browsing leave pybis' folder exactly as it was
    before = sorted(p.name for p in token_file.parent.iterdir())
    await api(
        "POST",
        f"{BASE}/login",
        {"username": "alice", "password": rol_sandbox.openbis_users["alice"]},
    )
    status, _ = await api("GET", f"{BASE}/spaces")
    assert status == 200
    assert sorted(p.name for p in token_file.parent.iterdir()) == before
    assert token_file.read_text() == admin.token
    admin.logout()


async def test_the_mount_gets_the_password_only_from_memory(api, rol_sandbox, jp_serverapp) -> None:
    service: Any = jp_serverapp.web_app.settings["reana_openbis_lab"].openbis
    await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": rol_sandbox.openbis_url, "username": "alice"},
    )
    with pytest.raises(LoginRequired, match="log in first"):
        service.secret_for_mount(CONNECTION)
    await api("POST", f"{BASE}/login", {"password": rol_sandbox.openbis_users["alice"]})
    credentials = service.secret_for_mount(CONNECTION)
    assert (credentials.host, credentials.username) == ("127.0.0.1", "alice")
    assert credentials.password == rol_sandbox.openbis_users["alice"]
    assert rol_sandbox.openbis_users["alice"] not in repr(service.get(CONNECTION)) + repr(
        credentials
    )
    await api(
        "POST", f"{BASE}/login", {"password": rol_sandbox.openbis_users["alice"], "remember": False}
    )
    with pytest.raises(LoginRequired, match="kept in memory"):
        service.secret_for_mount(CONNECTION)


async def test_changing_a_connection_drops_its_session_and_secret(api, rol_sandbox) -> None:
    # Given alice connected
    await connect(api, rol_sandbox)
    # When the connection's user name changes
    status, info = await api("PATCH", BASE, {"username": "admin"})
    # Then the old session and password no longer apply
    assert (status, info["status"], info["hasSecret"], info["username"]) == (
        200,
        "disconnected",
        False,
        "admin",
    )
    status, body = await api("GET", f"{BASE}/spaces")
    assert (status, body["code"]) == (401, "login_required")
    # And a PATCH that changes nothing keeps the session
    await api("POST", f"{BASE}/login", {"password": rol_sandbox.openbis_users["admin"]})
    status, info = await api("PATCH", BASE, {"username": "admin"})
    assert (status, info["status"], info["loggedInAs"]) == (200, "connected", "admin")
