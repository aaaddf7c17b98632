"""The connection routes without an openBIS server: editing, presets, persistence, refusals."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.openbis import OpenbisService
from reana_openbis_lab.worker.client import LabWorker

PRESET_PASSWORD = "preset-password-never-shown"


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "openbis_connections.json"


@pytest.fixture
def extension_config(store_file: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("SITE_OPENBIS_PASSWORD", PRESET_PASSWORD)
    return {
        "openbis_connections_file": str(store_file),
        "openbis_connections": [
            {
                "name": "site",
                "url": "https://openbis.example.org",
                "username": "alice",
                "password_env": "SITE_OPENBIS_PASSWORD",
            }
        ],
    }


async def test_a_new_connection_is_listed_and_persisted_without_secrets(
    api, store_file: Path
) -> None:
    # Given a fresh server with one preset
    # When the user adds a connection
    status, created = await api(
        "POST",
        "openbis/connections",
        {"name": "mine", "url": "http://127.0.0.1:9/openbis", "username": "bob"},
    )
    # Then it is created with certificate checks on and no secret
    assert status == 201
    assert created["url"] == "http://127.0.0.1:9"
    assert created["verifyCertificates"] is True
    assert created["insecureHttp"] is True
    assert created["hasSecret"] is False
    assert created["status"] == "disconnected"
    # And both connections are listed; the preset says it has a secret but never shows it
    status, listed = await api("GET", "openbis/connections")
    assert status == 200
    by_name = {c["name"]: c for c in listed["connections"]}
    assert by_name["site"]["preset"] is True
    assert by_name["site"]["hasSecret"] is True
    assert PRESET_PASSWORD not in json.dumps(listed)
    # And the file holds the user's connection only, owner-readable, without any secret
    saved = json.loads(store_file.read_text())
    assert [c["name"] for c in saved["connections"]] == ["mine"]
    assert stat.S_IMODE(store_file.stat().st_mode) == 0o600
    assert PRESET_PASSWORD not in store_file.read_text()


async def test_connections_survive_a_restart(api, store_file: Path) -> None:
    # Given a connection added through the API
    await api("POST", "openbis/connections", {"name": "kept", "url": "https://h.example.org"})
    # When a new service starts on the same file (what a server restart does)
    service = OpenbisService(store_file, presets=[], default_timeout=5, worker=LabWorker())
    try:
        # Then the connection is there again
        assert [c.name for c in service.list()] == ["kept"]
    finally:
        await service.close()


async def test_a_duplicate_name_is_a_conflict(api) -> None:
    await api("POST", "openbis/connections", {"name": "dup", "url": "https://h"})
    status, body = await api("POST", "openbis/connections", {"name": "dup", "url": "https://other"})
    assert status == 409
    assert body["field"] == "name"
    status, body = await api(
        "POST", "openbis/connections", {"name": "site", "url": "https://other"}
    )
    assert status == 409


async def test_a_preset_cannot_be_changed_or_deleted(api) -> None:
    status, body = await api("DELETE", "openbis/connections/site")
    assert status == 409
    assert body["code"] == "preset"
    assert "administrator" in body["message"]
    status, body = await api("PATCH", "openbis/connections/site", {"url": "https://evil"})
    assert status == 409
    status, body = await api("GET", "openbis/connections/site")
    assert body["url"] == "https://openbis.example.org"


async def test_a_connection_can_be_changed_and_deleted(api, store_file: Path) -> None:
    await api("POST", "openbis/connections", {"name": "temp", "url": "https://h"})
    status, changed = await api(
        "PATCH", "openbis/connections/temp", {"verifyCertificates": False, "auth": "token"}
    )
    assert status == 200
    assert (changed["verifyCertificates"], changed["auth"]) == (False, "token")
    status, _ = await api("DELETE", "openbis/connections/temp")
    assert status == 204
    status, _ = await api("GET", "openbis/connections/temp")
    assert status == 404
    assert json.loads(store_file.read_text())["connections"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://h"}, "name"),
        ({"name": "x", "url": "https://u:p@h"}, "url"),
        ({"name": "x", "url": "https://h", "token": "abc"}, "token"),
        ("[1, 2]", "body"),
        ("not json", "body"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(api, body: Any, field: str) -> None:
    status, reply = await api("POST", "openbis/connections", body)
    assert status == 400
    assert reply["field"] == field


async def test_login_without_a_secret_or_with_the_wrong_kind_is_a_400(api) -> None:
    await api("POST", "openbis/connections", {"name": "pw", "url": "https://h", "username": "a"})
    status, body = await api("POST", "openbis/connections/pw/login", {})
    assert (status, body["field"]) == (400, "password")
    status, body = await api("POST", "openbis/connections/pw/login", {"token": "x"})
    assert (status, body["field"]) == (400, "token")
    status, body = await api("POST", "openbis/connections/pw/login", {"password": 5})
    assert (status, body["field"]) == (400, "password")


async def test_an_unknown_connection_is_a_404_everywhere(api) -> None:
    for method, path in [
        ("GET", "openbis/connections/nope"),
        ("GET", "openbis/connections/nope/status"),
        ("POST", "openbis/connections/nope/login"),
        ("POST", "openbis/connections/nope/logout"),
        ("DELETE", "openbis/connections/nope"),
        ("GET", "openbis/connections/nope/spaces"),
        ("GET", "openbis/connections/nope/datasets/20240101000000000-1/files"),
        ("GET", "openbis/connections/nope/types/datasets"),
    ]:
        status, body = await api(method, path)
        assert status == 404, path
        assert "nope" in body["message"]


async def test_an_unreachable_server_is_a_502_and_a_status(api) -> None:
    # Given a connection to a port where nothing listens
    await api(
        "POST",
        "openbis/connections",
        {"name": "down", "url": "http://127.0.0.1:9", "username": "a"},
    )
    # When the user logs in
    status, body = await api(
        "POST", "openbis/connections/down/login", {"password": "pw-down-secret"}
    )
    # Then the answer is a 502 that says what to check, without the password
    assert status == 502
    assert body["code"] == "unreachable"
    assert "pw-down-secret" not in json.dumps(body)
    # And the secret was not kept
    status, info = await api("GET", "openbis/connections/down")
    assert info["hasSecret"] is False
