"""openBIS misbehaving (errors, hangs, cut connections) through the real pybis: the server
answers 502/504 with a clear message, never 500, stays responsive, and leaks no secret."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from reana_openbis_lab.openbis.transfers import live_token
from reana_openbis_lab_sandbox.faults import CONTROL_PREFIX

from .openbis_core_fixtures import BASE, CONNECTION, assert_nowhere, connect, extension_config  # noqa: F401

AS_PATH = r"/openbis/openbis/rmi-application-server-v3\.json"


def rpc_error(message: str) -> str:
    """An openBIS JSON-RPC error reply (HTTP 200), the kind pybis prints its request for."""
    return json.dumps({"jsonrpc": "2.0", "id": "2", "error": {"code": 0, "message": message}})


async def session_token(jp_serverapp: Any) -> str:
    service = jp_serverapp.web_app.settings["reana_openbis_lab"].openbis
    return await service.call(CONNECTION, live_token)


async def wait_until_taken(sandbox: Any) -> None:
    """Until the sandbox has received the request its one-shot fault rule was waiting for."""
    async with httpx.AsyncClient() as client:
        while True:
            reply = await client.get(f"{sandbox.openbis_url}{CONTROL_PREFIX}/faults")
            if all(rule["times"] == 0 for rule in reply.json()["rules"]):
                return
            await asyncio.sleep(0.05)


async def test_a_hung_openbis_is_a_504_and_the_server_stays_responsive(api, rol_sandbox) -> None:
    # Given alice connected, and openBIS then never answering the next space search
    await connect(api, rol_sandbox)
    rol_sandbox.set_faults(
        "openbis", [{"path": AS_PATH, "rpc_method": "searchSpaces", "hang": True, "times": 1}]
    )
    # When she lists spaces
    hung = asyncio.ensure_future(api("GET", f"{BASE}/spaces"))
    await wait_until_taken(rol_sandbox)
    # Then, while that request waits on openBIS, the Jupyter server answers other requests
    status, info = await api("GET", "info")
    assert status == 200 and info["name"] == "reana_openbis_lab"
    assert not hung.done()
    # And the hung request ends as a 504 that says openBIS did not answer
    status, body = await hung
    assert (status, body["code"]) == (504, "upstream_timeout")
    assert "did not answer" in body["message"]
    # And the connection works again once openBIS does
    status, _ = await api("GET", f"{BASE}/spaces")
    assert status == 200


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ({"status": 500, "body": "Internal Server Error"}, "upstream_error"),
        ({"status": 503, "body": "<html>maintenance</html>"}, "upstream_error"),
        ({"status": 200, "body": "this is not json"}, "upstream_error"),
        ({"status": 200, "body": '{"jsonrpc": "2.0", "id": "2"}'}, "upstream_error"),
        ({"drop_after_bytes": 10}, "upstream_error"),
    ],
    ids=["500", "503-html", "not-json", "no-result", "cut-connection"],
)
async def test_openbis_failures_are_502_never_500(
    api, rol_sandbox, rule: dict, code: str, capsys, caplog, jp_serverapp
) -> None:
    # Given alice connected
    await connect(api, rol_sandbox)
    token = await session_token(jp_serverapp)
    # When openBIS fails the next project search in one way or another
    rol_sandbox.set_faults("openbis", [{"path": AS_PATH, "rpc_method": "searchProjects", **rule}])
    status, body = await api("GET", f"{BASE}/projects")
    # Then the answer is a 502 naming openBIS, and neither password nor session token leaks
    assert status == 502, body
    assert body["code"] == code
    assert "openBIS" in body["message"] or rol_sandbox.openbis_url in body["message"]
    out, err = capsys.readouterr()
    assert_nowhere(
        [token, rol_sandbox.openbis_users["alice"]],
        json.dumps(body),
        out,
        err,
        records=caplog.records,
    )


async def test_an_openbis_error_naming_the_session_token_is_scrubbed(
    api, rol_sandbox, capsys, caplog, jp_serverapp
) -> None:
    # Given alice connected, and openBIS answering with an error that quotes her token
    await connect(api, rol_sandbox)
    token = await session_token(jp_serverapp)
    message = f"Authorization failure: user of session {token} may not see this"
    rol_sandbox.set_faults(
        "openbis",
        [
            {
                "path": AS_PATH,
                "rpc_method": "searchSpaces",
                "status": 200,
                "body": rpc_error(message),
            }
        ],
    )
    # When she lists spaces (pybis prints the whole request, token included, on such errors)
    status, body = await api("GET", f"{BASE}/spaces")
    # Then she is told access was refused, and the token is in no answer, output or log
    assert status == 403
    assert "Authorization failure" in body["message"]
    out, err = capsys.readouterr()
    assert_nowhere([token], json.dumps(body), out, err, records=caplog.records)


async def test_a_failing_login_leaks_the_password_nowhere(api, rol_sandbox, capsys, caplog) -> None:
    # Given openBIS failing the login call with an error (pybis then prints the login request)
    await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": rol_sandbox.openbis_url, "username": "alice"},
    )
    password = rol_sandbox.openbis_users["alice"]
    rol_sandbox.set_faults(
        "openbis",
        [
            {
                "path": AS_PATH,
                "rpc_method": "login",
                "status": 200,
                "body": rpc_error(f"login of alice/{password} failed"),
            }
        ],
    )
    # When alice logs in
    status, body = await api("POST", f"{BASE}/login", {"password": password})
    # Then the answer is a 502, and her password is in no answer, output or log record
    assert status == 502
    out, err = capsys.readouterr()
    assert_nowhere([password], json.dumps(body), out, err, records=caplog.records)


async def test_an_unreachable_or_failing_openbis_is_a_status_not_an_error(api, rol_sandbox) -> None:
    # Given alice connected, and openBIS failing every request
    await connect(api, rol_sandbox)
    rol_sandbox.set_faults("openbis", [{"path": AS_PATH, "status": 500}])
    # When the status is asked for
    status, info = await api("GET", f"{BASE}/status")
    # Then it says unreachable, with the reason
    assert (status, info["status"]) == (200, "unreachable")
    assert info["lastError"]
    # And once openBIS recovers, the same session is connected again
    rol_sandbox.clear_faults("openbis")
    status, info = await api("GET", f"{BASE}/status")
    assert (status, info["status"], info["lastError"]) == (200, "connected", None)


async def test_a_slow_openbis_within_the_timeout_just_answers(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    rol_sandbox.set_faults(
        "openbis", [{"path": AS_PATH, "rpc_method": "searchSpaces", "latency": 0.5, "times": 1}]
    )
    status, spaces = await api("GET", f"{BASE}/spaces")
    assert status == 200 and spaces["total"] > 0


async def test_logging_out_while_openbis_fails_still_logs_out_here(api, rol_sandbox) -> None:
    # Given alice connected, and openBIS then failing every request
    await connect(api, rol_sandbox)
    rol_sandbox.set_faults("openbis", [{"path": AS_PATH, "status": 500}])
    # When she logs out
    status, info = await api("POST", f"{BASE}/logout")
    # Then the extension forgot the session and the password anyway
    assert (status, info["status"], info["hasSecret"]) == (200, "disconnected", False)
