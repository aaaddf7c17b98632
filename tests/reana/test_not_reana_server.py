"""A REANA connection whose URL leads to another kind of server says so, as openBIS does.

The two 404s a wrong URL meets: a plain web page's (the openBIS sandbox has no /api/you) and
a JSON API's (the REANA sandbox below a path where REANA is not, like a Jupyter server's /api).
"""

from __future__ import annotations

from typing import Any

import pytest

from reana_openbis_lab_sandbox.handle import Sandbox


@pytest.mark.parametrize("target", ["openBIS", "a path below REANA"])
async def test_adding_a_connection_to_a_server_that_is_not_reana_is_a_clear_502(
    api: Any, rol_sandbox: Sandbox, target: str
) -> None:
    url = rol_sandbox.openbis_url if target == "openBIS" else f"{rol_sandbox.reana_url}/not-reana"
    if url is None:
        pytest.skip("this sandbox runs no openBIS server")
    # When the user adds a REANA connection pointed at a server that is not REANA
    status, body = await api(
        "POST", "reana/connections", {"name": "mine", "url": url, "accessToken": "tok-123"}
    )
    # Then the answer blames the server at that URL, with a code the UI can rely on
    assert (status, body["code"]) == (502, "not_reana"), body
    assert "does not answer like a REANA server" in body["message"]
    assert "URL" in body["message"] and "tok-123" not in body["message"]
    # And nothing was saved
    status, listed = await api("GET", "reana/connections")
    assert listed["connections"] == []
