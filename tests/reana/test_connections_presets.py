"""Connections the administrator provides: REANA_SERVER_URL/REANA_ACCESS_TOKEN and configuration."""

from __future__ import annotations

import os

import pytest

from reana_openbis_lab.reana.connections import presets_from_config

from .reana_helpers import assert_no_token

CONFIG_TOKEN_VARIABLE = "LAB_TEST_REANA_TOKEN"
UNSET_TOKEN_VARIABLE = "LAB_TEST_REANA_TOKEN_NOBODY_SET"


@pytest.fixture
def extension_config(rol_sandbox, monkeypatch):
    """Environment as reana-client users have it, plus one configured preset without a token."""
    monkeypatch.setenv("REANA_SERVER_URL", rol_sandbox.reana_url)
    monkeypatch.setenv("REANA_ACCESS_TOKEN", rol_sandbox.reana_token)
    monkeypatch.setenv(CONFIG_TOKEN_VARIABLE, rol_sandbox.reana_token)
    monkeypatch.delenv(UNSET_TOKEN_VARIABLE, raising=False)
    return {
        "reana_env_connection_name": "from-env",
        "reana_servers": {
            "site": {"url": rol_sandbox.reana_url, "access_token_env": CONFIG_TOKEN_VARIABLE},
            "tokenless": rol_sandbox.reana_url,
            "unset": {"url": rol_sandbox.reana_url, "access_token_env": UNSET_TOKEN_VARIABLE},
        },
    }


async def test_environment_and_configured_presets_are_listed_read_only(api, rol_sandbox):
    # When the connections are listed
    status, body = await api("GET", "reana/connections")
    # Then the presets are there, read-only, with tokens only where one was provided
    assert status == 200
    by_name = {c["name"]: c for c in body["connections"]}
    assert by_name["from-env"]["source"] == "env"
    assert by_name["from-env"]["hasToken"] is True
    assert by_name["site"]["source"] == "config"
    assert by_name["site"]["hasToken"] is True
    assert by_name["tokenless"]["hasToken"] is False
    assert all(c["readOnly"] for c in body["connections"])
    assert_no_token(body, token=rol_sandbox.reana_token)
    # And only the preset whose variable is unset says which variable is missing
    assert {c["name"]: c["missingTokenEnv"] for c in body["connections"]} == {
        "from-env": None,
        "site": None,
        "tokenless": None,
        "unset": UNSET_TOKEN_VARIABLE,
    }


def test_an_unset_token_variable_is_named_in_one_warning(caplog, monkeypatch):
    # Given presets (read once, at start-up), one naming a variable that is not set
    monkeypatch.delenv(UNSET_TOKEN_VARIABLE, raising=False)
    monkeypatch.setenv(CONFIG_TOKEN_VARIABLE, "token-value-never-logged")
    presets = presets_from_config(
        {
            "unset": {"url": "https://reana.example", "access_token_env": UNSET_TOKEN_VARIABLE},
            "site": {"url": "https://reana.example", "access_token_env": CONFIG_TOKEN_VARIABLE},
        }
    )
    # Then both are kept, and one warning names the preset and the variable, not a value
    assert [(p.name, bool(p.token)) for p in presets] == [("unset", False), ("site", True)]
    warnings = [r for r in caplog.records if r.name.startswith("reana_openbis_lab")]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING", warnings
    assert "'unset'" in warnings[0].getMessage()
    assert UNSET_TOKEN_VARIABLE in warnings[0].getMessage()
    assert "token-value-never-logged" not in caplog.text


async def test_entering_a_token_clears_the_missing_variable(api, rol_sandbox):
    # When the user enters a token, then the connection no longer reports it missing
    status, body = await api(
        "PATCH", "reana/connections/unset", {"accessToken": rol_sandbox.reana_token}
    )
    assert status == 200, body
    assert body["missingTokenEnv"] is None and body["hasToken"] is True


async def test_the_environment_preset_works_and_cannot_be_deleted_or_moved(api, rol_sandbox):
    status, body = await api("POST", "reana/connections/from-env/check")
    assert status == 200
    assert body["account"]["email"] == "alice@example.org"
    status, body = await api("DELETE", "reana/connections/from-env")
    assert status == 409
    status, body = await api("PATCH", "reana/connections/from-env", {"url": "http://x.example"})
    assert status == 409


async def test_a_preset_without_token_asks_for_one_and_accepts_it(api, rol_sandbox):
    # Given a configured preset whose token nobody entered yet
    status, body = await api("GET", "reana/connections/tokenless/workflows")
    # Then it says a token is needed (401), not a server error
    assert status == 401
    assert body["code"] == "token_missing"
    # When the user enters the token
    status, body = await api(
        "PATCH", "reana/connections/tokenless", {"accessToken": rol_sandbox.reana_token}
    )
    assert status == 200
    # Then the preset works
    status, body = await api("GET", "reana/connections/tokenless/workflows")
    assert status == 200


async def test_the_token_is_never_written_to_the_process_environment(api, rol_sandbox, monkeypatch):
    # Given a user connection with its own token
    await api(
        "POST",
        "reana/connections",
        {"name": "mine", "url": rol_sandbox.reana_url, "accessToken": "user-token", "check": False},
    )
    # Then no environment variable carries it (reana-client would pick it up process-wide)
    assert "user-token" not in os.environ.values()
