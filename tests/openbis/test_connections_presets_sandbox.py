"""Presets from the configuration and the environment, used against the sandbox openBIS."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from reana_openbis_lab.app import CONNECTION_EVENT_SCHEMA_ID

PRESET = "site"
FROM_ENV = "from-env"


@pytest.fixture
def extension_config(rol_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """One preset with alice's password named by the configuration, one from OPENBIS_* variables."""
    monkeypatch.setenv("OPENBIS_URL", rol_sandbox.openbis_url)
    monkeypatch.setenv("OPENBIS_TOKEN", rol_sandbox.openbis_pat)
    monkeypatch.setenv("SITE_OPENBIS_PASSWORD", rol_sandbox.openbis_users["alice"])
    return {
        "openbis_env_connection_name": FROM_ENV,
        "openbis_connections": [
            {
                "name": PRESET,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "SITE_OPENBIS_PASSWORD",
            }
        ],
    }


@pytest.mark.parametrize("name", [PRESET, FROM_ENV])
async def test_a_preset_with_a_secret_is_used_without_logging_in(
    api, rol_sandbox, name: str
) -> None:
    # Given a preset configured with a secret, never logged in by the user
    status, info = await api("GET", f"openbis/connections/{name}")
    assert (status, info["preset"], info["hasSecret"], info["status"]) == (
        200,
        True,
        True,
        "disconnected",
    )
    # When the user browses
    status, spaces = await api("GET", f"openbis/connections/{name}/spaces")
    # Then the extension logs in by itself
    assert status == 200 and spaces["total"] > 0
    status, info = await api("GET", f"openbis/connections/{name}")
    assert (info["status"], info["loggedInAs"]) == ("connected", "alice")
    # And no answer ever contains the configured secret
    status, listed = await api("GET", "openbis/connections")
    for secret in (rol_sandbox.openbis_users["alice"], rol_sandbox.openbis_pat):
        assert secret not in json.dumps(listed) + json.dumps(info)


async def test_a_preset_logging_in_on_first_use_tells_the_ui_at_once(api, jp_serverapp) -> None:
    """The list said "Logs in when used" for up to a poll period (30 s) while the tree under it
    already showed data: the server now tells the page when a status changes by itself."""
    told: list[dict[str, Any]] = []

    async def listener(logger: Any, schema_id: str, data: dict[str, Any]) -> None:
        told.append(data)

    jp_serverapp.event_logger.add_listener(schema_id=CONNECTION_EVENT_SCHEMA_ID, listener=listener)
    # When the tree of a password preset is read for the first time
    status, _ = await api("GET", f"openbis/connections/{PRESET}/spaces")
    assert status == 200
    # Then the page is told that it is connected now, and the list says so
    for _ in range(100):
        if told:
            break
        await asyncio.sleep(0.02)
    assert told == [{"name": PRESET, "status": "connected"}]
    _, listed = await api("GET", "openbis/connections")
    assert {c["name"]: c["status"] for c in listed["connections"]}[PRESET] == "connected"
    # And a second read changes nothing, so nothing more is told
    await api("GET", f"openbis/connections/{PRESET}/spaces")
    await asyncio.sleep(0.1)
    assert len(told) == 1


async def test_logging_out_of_a_preset_keeps_its_configured_secret(api) -> None:
    # Given a preset in use
    await api("GET", f"openbis/connections/{PRESET}/spaces")
    # When the user logs out
    status, info = await api("POST", f"openbis/connections/{PRESET}/logout")
    # Then the session ends, the administrator's secret stays, and the preset still works
    assert (status, info["status"], info["hasSecret"]) == (200, "disconnected", True)
    status, _ = await api("GET", f"openbis/connections/{PRESET}/spaces")
    assert status == 200


async def test_presets_cannot_be_deleted_from_the_ui(api) -> None:
    for name in (PRESET, FROM_ENV):
        status, body = await api("DELETE", f"openbis/connections/{name}")
        assert (status, body["code"]) == (409, "preset")
    status, listed = await api("GET", "openbis/connections")
    assert {c["name"] for c in listed["connections"]} == {PRESET, FROM_ENV}
