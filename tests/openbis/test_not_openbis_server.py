"""An openBIS connection whose URL leads to another kind of server says so (issue 8 §7)."""

from __future__ import annotations

from typing import Any


async def test_logging_in_to_a_server_that_is_not_openbis_is_a_clear_502(
    api, rol_sandbox: Any
) -> None:
    # Given a connection pointed at the sandbox's REANA server instead of openBIS
    status, _ = await api(
        "POST",
        "openbis/connections",
        {"name": "notob", "url": rol_sandbox.reana_url, "username": "alice"},
    )
    assert status == 201
    # When logging in
    status, body = await api("POST", "openbis/connections/notob/login", {"password": "x"})
    # Then the answer blames the server at that URL, with a code the UI can rely on
    assert (status, body["code"]) == (502, "not_openbis"), body
    assert "does not answer like an openBIS server" in body["message"]
    assert "URL" in body["message"]
