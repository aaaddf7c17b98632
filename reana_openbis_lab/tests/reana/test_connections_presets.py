"""Connections the administrator provides: REANA_SERVER_URL/REANA_ACCESS_TOKEN and configuration."""

from __future__ import annotations

import os

import pytest

from .reana_helpers import assert_no_token

CONFIG_TOKEN_VARIABLE = "LAB_TEST_REANA_TOKEN"
UNSET_TOKEN_VARIABLE = "LAB_TEST_REANA_TOKEN_NOBODY_SET"


@pytest.fixture
def extension_config(sandbox, monkeypatch):
    """Environment as reana-client users have it, plus one configured preset without a token."""
    monkeypatch.setenv("REANA_SERVER_URL", sandbox.reana_url)
    monkeypatch.setenv("REANA_ACCESS_TOKEN", sandbox.reana_token)
    monkeypatch.setenv(CONFIG_TOKEN_VARIABLE, sandbox.reana_token)
    monkeypatch.delenv(UNSET_TOKEN_VARIABLE, raising=False)
    return {
        "reana_env_connection_name": "from-env",
        "reana_servers": {
            "site": {"url": sandbox.reana_url, "access_token_env": CONFIG_TOKEN_VARIABLE},
            "tokenless": sandbox.reana_url,
            "unset": {"url": sandbox.reana_url, "access_token_env": UNSET_TOKEN_VARIABLE},
        },
    }


async def test_environment_and_configured_presets_are_listed_read_only(api, sandbox):
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
    assert_no_token(body, token=sandbox.reana_token)
    # And only the preset whose variable is unset says which variable is missing
    assert {c["name"]: c["missingTokenEnv"] for c in body["connections"]} == {
        "from-env": None,
        "site": None,
        "tokenless": None,
        "unset": UNSET_TOKEN_VARIABLE,
    }


async def test_an_unset_token_variable_is_named_once_in_the_server_log_and_cleared_by_a_token(
    api, sandbox, caplog
):
    # Given the server started with a preset whose access_token_env is not set
    await api("GET", "reana/connections")
    await api("GET", "reana/connections")
    # Then one warning, through the server's logger, names the preset and the variable, and
    # no token value is logged
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    warnings = [
        r
        for r in records
        if r.name.startswith("reana_openbis_lab") and UNSET_TOKEN_VARIABLE in r.getMessage()
    ]
    assert len(warnings) == 1 and "'unset'" in warnings[0].getMessage(), warnings
    assert warnings[0].levelname == "WARNING"
    assert not [r for r in records if sandbox.reana_token in r.getMessage()]
    # When the user enters a token, then the connection no longer reports it missing
    status, body = await api(
        "PATCH", "reana/connections/unset", {"accessToken": sandbox.reana_token}
    )
    assert status == 200, body
    assert body["missingTokenEnv"] is None and body["hasToken"] is True


async def test_the_environment_preset_works_and_cannot_be_deleted_or_moved(api, sandbox):
    status, body = await api("POST", "reana/connections/from-env/check")
    assert status == 200
    assert body["account"]["email"] == "alice@example.org"
    status, body = await api("DELETE", "reana/connections/from-env")
    assert status == 409
    status, body = await api("PATCH", "reana/connections/from-env", {"url": "http://x.example"})
    assert status == 409


async def test_a_preset_without_token_asks_for_one_and_accepts_it(api, sandbox):
    # Given a configured preset whose token nobody entered yet
    status, body = await api("GET", "reana/connections/tokenless/workflows")
    # Then it says a token is needed (401), not a server error
    assert status == 401
    assert body["code"] == "token_missing"
    # When the user enters the token
    status, body = await api(
        "PATCH", "reana/connections/tokenless", {"accessToken": sandbox.reana_token}
    )
    assert status == 200
    # Then the preset works
    status, body = await api("GET", "reana/connections/tokenless/workflows")
    assert status == 200


async def test_the_token_is_never_written_to_the_process_environment(api, sandbox, monkeypatch):
    # Given a user connection with its own token
    await api(
        "POST",
        "reana/connections",
        {"name": "mine", "url": sandbox.reana_url, "accessToken": "user-token", "check": False},
    )
    # Then no environment variable carries it (reana-client would pick it up process-wide)
    assert "user-token" not in os.environ.values()
