"""The async REANA client on its own: API calls, streamed files, and errors free of the token."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import socket
import threading
import traceback
import uuid

import pytest

from reana_openbis_lab.errors import (
    LoginRequired,
    NotFound,
    PermissionDenied,
    UpstreamError,
)
from reana_openbis_lab.jobs import JobCancelled
from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab.reana.logs import LogCursor, new_log_text
from reana_openbis_lab.scrub import display_url, scrub
from reana_openbis_lab_sandbox.reana.seed import demo_specification

from .reana_helpers import create_on_server


def everything_said_about(exc: BaseException) -> str:
    """All text an exception can leak: message, repr and the formatted chain."""
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


async def test_account_and_server_information(rol_sandbox):
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    try:
        you = await client.you()
        info = await client.info()
    finally:
        await client.aclose()
    assert you["email"] == "alice@example.org"
    assert "reana_token" not in you  # REANA echoes the token there; the client drops it
    assert "kubernetes" in info["compute_backends"]["value"]


async def test_upload_and_download_stream_through_files(rol_sandbox, tmp_path):
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    name = f"client-{uuid.uuid4().hex[:8]}"
    try:
        workflow = (await create_on_server(client, name, demo_specification(name)))["workflow_id"]
        # Given a local file of several chunks
        source = tmp_path / "payload.bin"
        source.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
        sent: list[int] = []
        # When it is uploaded and downloaded again, with progress reported per chunk
        await client.upload_file(workflow, "in/payload.bin", source, sent.append)
        received: list[int] = []
        with (tmp_path / "back.bin").open("wb") as target:
            count = await client.download_file(workflow, "in/payload.bin", target, received.append)
        # Then the bytes are identical and progress adds up, in more than one step
        assert (tmp_path / "back.bin").read_bytes() == source.read_bytes()
        assert count == sum(sent) == sum(received) == source.stat().st_size
        assert len(sent) > 1 and len(received) > 1
        items, total = await client.list_workspace(workflow, search="payload")
        assert total == 1 and items[0]["name"] == "in/payload.bin"
    finally:
        await client.aclose()


async def test_an_empty_file_round_trips(rol_sandbox, tmp_path):
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    name = f"empty-{uuid.uuid4().hex[:8]}"
    (tmp_path / "empty.txt").write_bytes(b"")
    try:
        workflow = (await create_on_server(client, name, demo_specification(name)))["workflow_id"]
        await client.upload_file(workflow, "empty.txt", tmp_path / "empty.txt")
        buffer = io.BytesIO()
        assert await client.download_file(workflow, "empty.txt", buffer) == 0
    finally:
        await client.aclose()
    assert buffer.getvalue() == b""


async def test_a_cancelled_transfer_stops_between_chunks(rol_sandbox, tmp_path):
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    cancel = threading.Event()
    cancel.set()
    source = tmp_path / "payload.bin"
    source.write_bytes(b"x" * 100)
    try:
        with pytest.raises(JobCancelled):
            await client.download_file("demo-finished.1", "reana.yaml", io.BytesIO(), None, cancel)
        with pytest.raises(JobCancelled):
            await client.upload_file("demo-created.1", "never.bin", source, None, cancel)
    finally:
        await client.aclose()


async def test_cancelling_a_download_cuts_a_request_the_server_never_answers(rol_sandbox):
    # Given a server that never answers the file request, and a client that would wait 60 s
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb", timeout=60)
    rol_sandbox.set_faults(
        "reana", [{"path": r"/workspace/reana\.yaml$", "hang": True, "times": 1}]
    )
    try:
        download = asyncio.ensure_future(
            client.download_file("demo-finished.1", "reana.yaml", io.BytesIO())
        )
        await asyncio.sleep(0.5)
        # When the download is cancelled while its thread waits for the answer
        download.cancel()
        # Then it ends as cancelled long before the timeout (its socket was shut down)
        with pytest.raises(JobCancelled):
            await asyncio.wait_for(download, 20)
        # And the next download gets a connection of its own and works
        buffer = io.BytesIO()
        assert await client.download_file("demo-finished.1", "reana.yaml", buffer) > 0
    finally:
        rol_sandbox.clear_faults("reana")
        await client.aclose()


async def test_errors_are_domain_errors_without_the_token(rol_sandbox):
    good = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    bad = ReanaClient(rol_sandbox.reana_url, "secret-but-wrong", name="sb")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gone = ReanaClient(f"http://127.0.0.1:{port}", rol_sandbox.reana_token, name="gone")
    tokenless = ReanaClient(rol_sandbox.reana_url, None, name="sb")
    cases = [
        (bad.you(), PermissionDenied, "secret-but-wrong"),
        (good.get_status("no-such-workflow.3"), NotFound, rol_sandbox.reana_token),
        (gone.list_workflows(), UpstreamError, rol_sandbox.reana_token),
        (tokenless.you(), LoginRequired, rol_sandbox.reana_token),
    ]
    try:
        for call, expected, secret in cases:
            with pytest.raises(expected) as caught:
                await call
            text = everything_said_about(caught.value)
            assert secret not in text
            assert "access_token=" not in text
    finally:
        for client in (good, bad, gone, tokenless):
            await client.aclose()


async def test_a_short_body_is_not_a_complete_download(rol_sandbox):
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    rol_sandbox.set_faults("reana", [{"path": r"/workspace/reana\.yaml$", "drop_after_bytes": 20}])
    try:
        with pytest.raises(UpstreamError) as caught:
            await client.download_file("demo-finished.1", "reana.yaml", io.BytesIO())
    finally:
        await client.aclose()
    assert caught.value.code in ("connection_dropped", "incomplete_download")


def test_scrub_masks_query_tokens_and_known_values():
    assert scrub("GET http://h/api/you?access_token=abc&x=1") == (
        "GET http://h/api/you?access_token=***&x=1"
    )
    assert scrub("url%3Faccess_token%3Dabc") == "url%3Faccess_token%3D***"
    assert scrub("the value abc leaked", ["abc"]) == "the value *** leaked"
    assert display_url("https://user:pw@h:8443/p?access_token=abc#f") == "https://h:8443/p"


async def test_the_httpx_log_line_never_holds_the_token(rol_sandbox, caplog):
    # Given httpx logging every request (INFO, the URL included)
    caplog.set_level(logging.DEBUG)
    client = ReanaClient(rol_sandbox.reana_url, rol_sandbox.reana_token, name="sb")
    # When the client asks REANA something
    try:
        await client.you()
    finally:
        await client.aclose()
    # Then the request was logged, and the token was added to its URL only after that
    assert "HTTP Request" in caplog.text
    assert rol_sandbox.reana_token not in caplog.text and "access_token" not in caplog.text


def test_log_cursor_returns_only_new_text_and_resets_when_a_log_shrinks():
    logs = {
        "workflow_logs": "one\n",
        "job_logs": {"job-a": {"job_name": "a", "logs": "x", "status": "running"}},
        "engine_specific": None,
    }
    first = new_log_text(logs, LogCursor())
    logs["workflow_logs"] += "two\n"
    logs["job_logs"]["job-a"]["logs"] += "y"
    second = new_log_text(logs, LogCursor.decode(first["cursor"]))
    assert second["workflow"] == {"text": "two\n", "offset": 4, "reset": False}
    assert second["jobs"][0]["text"] == "y"
    logs["workflow_logs"] = "new\n"
    third = new_log_text(logs, LogCursor.decode(second["cursor"]))
    assert third["workflow"] == {"text": "new\n", "offset": 0, "reset": True}
