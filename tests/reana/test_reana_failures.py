"""A REANA server that hangs, fails or drops the connection never blocks JupyterLab or leaks the token."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from .reana_helpers import add_connection, assert_no_token, wait_for_job

TIMEOUT = 1.5
FINISHED = "reana/connections/sandbox/workflows/demo-finished.1"


@pytest.fixture
def extension_config():
    return {"reana_timeout": TIMEOUT}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_hanging_server_times_out_while_jupyter_keeps_answering(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    # Given a REANA server that never answers
    rol_sandbox.set_faults("reana", [{"path": "^/api/you$", "hang": True}])
    # When a check is running against it
    check = asyncio.ensure_future(api("POST", "reana/connections/sandbox/check"))
    # Then the extension's other routes still answer meanwhile
    status, info = await api("GET", "info")
    assert status == 200 and info["name"] == "reana_openbis_lab"
    assert not check.done()
    # And the check ends as a 504 that says what happened
    status, body = await check
    assert status == 504
    assert body["code"] == "timeout"
    assert f"did not answer within {TIMEOUT:g} s" in body["message"]
    assert_no_token(body, token=rol_sandbox.reana_token)


@pytest.mark.parametrize(
    ("fault", "expected_status", "expected_text"),
    [
        ({"status": 500, "body": '{"message": "Internal controller error."}'}, 502, "HTTP 500"),
        ({"status": 503, "body": "<html>Service Unavailable</html>"}, 502, "HTTP 503"),
        ({"status": 504, "body": "<html>Gateway Timeout</html>"}, 504, "HTTP 504"),
        ({"status": 200, "body": "<html>login page</html>"}, 502, "unexpected answer"),
        ({"drop_after_bytes": 10}, 502, "broke"),
    ],
)
async def test_upstream_failures_are_502_or_504_with_a_clear_message(
    api, rol_sandbox, fault, expected_status, expected_text
):
    await add_connection(api, rol_sandbox)
    rol_sandbox.set_faults("reana", [{"path": "^/api/workflows$", **fault}])
    status, body = await api("GET", "reana/connections/sandbox/workflows")
    assert status == expected_status, body
    assert expected_text in body["message"]
    assert "sandbox" in body["message"]
    assert_no_token(body, token=rol_sandbox.reana_token)


async def test_an_unreachable_server_is_a_502(api, rol_sandbox):
    url = f"http://127.0.0.1:{closed_port()}"
    status, body = await api(
        "POST",
        "reana/connections",
        {"name": "gone", "url": url, "accessToken": rol_sandbox.reana_token},
    )
    assert status == 502
    assert body["code"] == "unreachable"
    assert "connection refused" in body["message"]
    assert_no_token(body, token=rol_sandbox.reana_token)


async def test_a_connection_dropped_during_download_leaves_no_partial_file(
    api, rol_sandbox, jp_root_dir
):
    await add_connection(api, rol_sandbox)
    # Given a server that drops the connection in the middle of a file
    rol_sandbox.set_faults("reana", [{"path": r"/workspace/reana\.yaml$", "drop_after_bytes": 100}])
    # When the file is downloaded
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": ["reana.yaml"], "destination": "d"}
    )
    assert status == 202
    job = await wait_for_job(api, job["id"])
    # Then the job failed with a clear reason and nothing is left on disk
    assert job["state"] == "failed"
    assert job["errorCode"] in ("connection_dropped", "incomplete_download")
    assert not (jp_root_dir / "d").exists()
    assert_no_token(job, token=rol_sandbox.reana_token)


async def test_a_failing_upload_names_the_file_and_keeps_the_token_secret(
    api, rol_sandbox, jp_root_dir
):
    await add_connection(api, rol_sandbox)
    (jp_root_dir / "in.txt").write_text("data")
    rol_sandbox.set_faults("reana", [{"path": "/workspace$", "http_method": "POST", "status": 500}])
    _, job = await api("POST", f"{FINISHED}/workspace/upload", {"sources": ["in.txt"]})
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed"
    assert "in.txt" in job["error"]
    assert_no_token(job, token=rol_sandbox.reana_token)


async def test_the_token_never_reaches_logs_output_or_answers(api, rol_sandbox, caplog, capsys):
    # Given every logger on, httpx's request log included (it prints each URL)
    caplog.set_level(logging.DEBUG)
    answers = []
    # When the lab talks to REANA successfully and unsuccessfully in every way
    answers.append(await add_connection(api, rol_sandbox))
    answers.append(await add_connection(api, rol_sandbox, name="wrong", token="wrong", check=False))
    answers.append(await api("GET", "reana/connections"))
    answers.append(await api("GET", "reana/connections/sandbox/workflows"))
    answers.append(await api("GET", "reana/connections/wrong/workflows"))
    answers.append(await api("GET", f"{FINISHED}/logs"))
    answers.append(await api("GET", f"{FINISHED}/workspace"))
    rol_sandbox.set_faults("reana", [{"path": "^/api/workflows$", "status": 500}])
    answers.append(await api("GET", "reana/connections/sandbox/workflows"))
    rol_sandbox.set_faults("reana", [{"path": "/status$", "hang": True}])
    answers.append(await api("GET", f"{FINISHED}"))
    rol_sandbox.clear_faults("reana")
    answers.append(await api("POST", "reana/connections/sandbox/check"))
    # Then httpx did log its requests, but their URLs never held the token (it is added
    # on the way to the network, after httpx logged the request)
    assert "HTTP Request" in caplog.text
    assert "access_token" not in caplog.text
    captured = capsys.readouterr()
    assert_no_token(caplog.text, captured.out, captured.err, answers, token=rol_sandbox.reana_token)
