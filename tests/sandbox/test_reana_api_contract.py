"""REANA sandbox routes and error paths that reana-client does not exercise, checked against reana-server's Swagger."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from .reana_swagger import check_response, load_reana_server_spec

WORKFLOW = "/api/workflows/{workflow_id_or_name}"
SPEC = {
    "version": "0.9.0",
    "inputs": {"files": ["data/in.csv"], "parameters": {"bins": "10"}},
    "workflow": {
        "type": "serial",
        "specification": {
            "steps": [
                {"name": "one", "environment": "python:3.11", "commands": ["python a.py"]},
                {"name": "two", "environment": "python:3.11", "commands": ["python b.py"]},
            ]
        },
    },
    "outputs": {"files": ["out/result.csv"], "directories": ["out/plots"]},
}


UNKNOWN_TYPE = {**SPEC, "workflow": {"type": "airflow"}}


@pytest.fixture(scope="module")
def swagger(reana_client_env: Path) -> dict[str, Any]:
    return load_reana_server_spec(reana_client_env)


@pytest.fixture
def http(rol_sandbox: Sandbox) -> Iterator[httpx.Client]:
    params = {"access_token": rol_sandbox.reana_token}
    with httpx.Client(base_url=rol_sandbox.reana_url or "", params=params, timeout=30) as client:
        yield client


def create(http: httpx.Client, name: str, spec: dict[str, Any] = SPEC) -> dict[str, Any]:
    response = http.post("/api/workflows", params={"workflow_name": name}, json=spec)
    assert response.status_code == 201, response.text
    return response.json()


def run_to_end(http: httpx.Client, name: str, parameters: dict[str, str] | None = None) -> str:
    """Start a run and poll until it settles (a liveness bound, not a speed check)."""
    started = http.post(f"/api/workflows/{name}/start", json={"input_parameters": parameters or {}})
    assert started.status_code == 200, started.text
    deadline = time.monotonic() + 60
    status = "queued"
    while status in ("queued", "pending", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        status = http.get(f"/api/workflows/{name}/status").json()["status"]
    return status


def test_error_answers_use_codes_the_operations_declare(
    http: httpx.Client, swagger: dict[str, Any]
) -> None:
    # Given
    run = f"/api/workflows/{create(http, 'contract-errors')['workflow_name']}"
    listing = "/api/workflows"
    bad_token = {"access_token": "wrong"}
    deleted, keep = {"status": "deleted"}, {"workspace": False}
    cases: list[tuple[int, str, str, str, dict[str, Any]]] = [
        (200, "/api/ping", "GET", "/api/ping", {}),
        (500, "/api/info", "GET", "/api/info", {"params": bad_token}),
        (403, "/api/you", "GET", "/api/you", {"params": bad_token}),
        (403, listing, "GET", listing, {"params": {**bad_token, "type": "batch"}}),
        (400, listing, "GET", listing, {"params": {"type": "batch", "sort": "sideways"}}),
        (400, listing, "GET", listing, {"params": {"type": "batch", "search": "{nope"}}),
        (400, listing, "GET", listing, {"params": {"type": "batch", "page": "0", "size": "2"}}),
        (404, listing, "GET", listing, {"params": {"type": "batch", "workflow_id_or_name": "no"}}),
        (400, listing, "POST", listing, {"params": {"workflow_name": "x"}, "json": {"inputs": {}}}),
        (403, listing, "POST", listing, {"params": {"workflow_name": "a.b"}, "json": SPEC}),
        (400, listing, "POST", listing, {"params": {"workflow_name": str(uuid4())}, "json": SPEC}),
        (500, listing, "POST", listing, {"params": {"workflow_name": "x"}, "json": UNKNOWN_TYPE}),
        (404, f"{WORKFLOW}/status", "GET", "/api/workflows/no-such-run/status", {}),
        (409, f"{WORKFLOW}/status", "PUT", f"{run}/status", {"params": {"status": "stop"}}),
        (400, f"{WORKFLOW}/status", "PUT", f"{run}/status", {"params": {"status": "paused"}}),
        (404, f"{WORKFLOW}/start", "POST", "/api/workflows/no-such-run/start", {"json": {}}),
        (400, f"{WORKFLOW}/start", "POST", f"{run}/start", {"json": {"input_parameters": [1]}}),
        (403, f"{WORKFLOW}/start", "POST", f"{run}/start", {"json": {"restart": True}}),
        (400, f"{WORKFLOW}/status", "PUT", f"{run}/status", {"params": deleted, "json": keep}),
        # reana-server 0.9.4 answers 403 here where /status says 404 (recorded)
        (403, f"{WORKFLOW}/specification", "GET", "/api/workflows/nope/specification", {}),
        (404, f"{WORKFLOW}/workspace/{{file_name}}", "GET", f"{run}/workspace/missing.txt", {}),
        (404, f"{WORKFLOW}/workspace/{{file_name}}", "DELETE", "/api/workflows/no/workspace/a", {}),
        (400, f"{WORKFLOW}/workspace", "POST", f"{run}/workspace", {"content": b"no type"}),
    ]
    # When
    answers = [(code, template, http.request(m, url, **kw)) for code, template, m, url, kw in cases]
    # Then
    for expected, template, answer in answers:
        assert answer.status_code == expected, (template, answer.request.url, answer.text)
        check_response(swagger, template, answer)


def test_a_finished_run_answers_every_read_route_as_declared(
    http: httpx.Client, swagger: dict[str, Any]
) -> None:
    # Given
    created = create(http, "contract-reads")
    name = created["workflow_name"]
    status = run_to_end(http, name)
    # When
    answers = {
        "/api/you": http.get("/api/you"),
        "/api/info": http.get("/api/info"),
        "/api/workflows": http.get(
            "/api/workflows",
            params={
                "type": "batch",
                "search": json.dumps({"name": ["contract-reads"]}),
                "include_progress": "true",
                "include_workspace_size": "true",
                "sort": "asc",
            },
        ),
        f"{WORKFLOW}/status": http.get(f"/api/workflows/{created['workflow_id']}/status"),
        f"{WORKFLOW}/logs": http.request("GET", f"/api/workflows/{name}/logs", json=["two"]),
        f"{WORKFLOW}/specification": http.get(f"/api/workflows/{name}/specification"),
        f"{WORKFLOW}/parameters": http.get(f"/api/workflows/{name}/parameters"),
        f"{WORKFLOW}/workspace": http.get(
            f"/api/workflows/{name}/workspace", params={"size": 1, "page": 2}
        ),
        f"{WORKFLOW}/disk_usage": http.request(
            "GET", f"/api/workflows/{name}/disk_usage", json={"summarize": True}
        ),
        f"{WORKFLOW}/retention_rules": http.get(f"/api/workflows/{name}/retention_rules"),
    }
    # Then
    assert status == "finished"
    for template, answer in answers.items():
        assert answer.status_code == 200, (template, answer.text)
        check_response(swagger, template, answer)
    listed = answers["/api/workflows"].json()
    assert listed["total"] == 1 and listed["items"][0]["size"]["raw"] > 0
    logs = json.loads(answers[f"{WORKFLOW}/logs"].json()["logs"])
    assert [job["job_name"] for job in logs["job_logs"].values()] == ["two"]
    assert logs["workflow_logs"] and set(logs) == {"workflow_logs", "job_logs", "engine_specific"}
    workspace = answers[f"{WORKFLOW}/workspace"].json()
    assert workspace["total"] == 2 and len(workspace["items"]) == 1


def test_a_settled_run_is_restarted_not_started_again(http: httpx.Client) -> None:
    # Given
    name = create(http, "contract-restart")["workflow_name"]
    run_to_end(http, name)
    # When
    again = http.post(f"/api/workflows/{name}/start", json={})
    restarted = http.post(f"/api/workflows/{name}/start", json={"restart": True})
    # Then
    assert again.status_code == 403 and "cannot be started again" in again.json()["message"]
    assert restarted.status_code == 200
    assert (restarted.json()["workflow_name"], restarted.json()["run_number"]) == (
        "contract-restart",
        "1.1",
    )
    clone = http.get("/api/workflows/contract-restart.1.1/status").json()
    assert clone["id"] == restarted.json()["workflow_id"]
    files = http.get("/api/workflows/contract-restart.1.1/workspace").json()["items"]
    assert "out/result.csv" in {f["name"] for f in files}


def test_a_parameter_can_ask_a_run_to_fail(http: httpx.Client) -> None:
    # Given
    spec = {**SPEC, "inputs": {"parameters": {"sandbox_fail": "false"}}}
    name = create(http, "contract-asked-to-fail", spec)["workflow_name"]
    # When
    status = run_to_end(http, name, {"sandbox_fail": "true"})
    # Then
    logs = json.loads(http.get(f"/api/workflows/{name}/logs").json()["logs"])
    assert status == "failed"
    assert [(j["job_name"], j["status"]) for j in logs["job_logs"].values()] == [
        ("one", "finished"),
        ("two", "failed"),
    ]
    assert http.get(f"/api/workflows/{name}/workspace/out/result.csv").status_code == 404


def test_an_empty_upload_makes_an_empty_file(http: httpx.Client) -> None:
    # Given
    name = create(http, "contract-empty")["workflow_name"]
    # When
    uploaded = http.post(
        f"/api/workflows/{name}/workspace",
        params={"file_name": "/empty.txt"},
        headers={"Content-Type": "application/octet-stream"},
        content=b"",
    )
    # Then
    assert uploaded.status_code == 200
    listing = http.get(f"/api/workflows/{name}/workspace", params={"file_name": "empty.txt"})
    assert [(f["name"], f["size"]["raw"]) for f in listing.json()["items"]] == [("empty.txt", 0)]


def test_job_logs_come_page_by_page(http: httpx.Client) -> None:
    # Given
    name = create(http, "contract-log-pages")["workflow_name"]
    run_to_end(http, name)
    # When
    pages = [
        json.loads(
            http.get(f"/api/workflows/{name}/logs", params={"page": p, "size": 1}).json()["logs"]
        )
        for p in (1, 2, 3)
    ]
    # Then
    assert [[j["job_name"] for j in page["job_logs"].values()] for page in pages] == [
        ["one"],
        ["two"],
        [],
    ]


def test_a_large_upload_and_download_stream_through_unchanged(
    http: httpx.Client, rol_sandbox: Sandbox
) -> None:
    # Given
    name = create(http, "contract-streams")["workflow_name"]
    block = os.urandom(1 << 20)
    digest = hashlib.sha256(block * 24).hexdigest()
    # When
    uploaded = http.post(
        f"/api/workflows/{name}/workspace",
        params={"file_name": "big/data.bin"},
        headers={"Content-Type": "application/octet-stream"},
        content=(block for _ in range(24)),
    )
    received = hashlib.sha256()
    with http.stream("GET", f"/api/workflows/{name}/workspace/big/data.bin") as download:
        for chunk in download.iter_bytes():
            received.update(chunk)
    folder = http.get(f"/api/workflows/{name}/workspace/big")
    # Then
    assert uploaded.status_code == 200, uploaded.text
    assert download.headers["content-type"] == "application/octet-stream"
    assert 'filename="data.bin"' in download.headers["content-disposition"]
    assert received.hexdigest() == digest
    assert folder.headers["content-type"] == "application/zip"
    assert folder.content[:2] == b"PK"


def test_an_interrupted_upload_leaves_nothing_behind(
    http: httpx.Client, rol_sandbox: Sandbox
) -> None:
    # Given an upload the server has started writing
    created = create(http, "contract-cut")
    workspace = Path(rol_sandbox.state["data_dir"], "reana", "workspaces", created["workflow_id"])
    url = urlsplit(rol_sandbox.reana_url)
    target = (
        f"/api/workflows/{created['workflow_id']}/workspace"
        f"?file_name=cut.bin&access_token={rol_sandbox.reana_token}"
    )
    raw = socket.create_connection((url.hostname, url.port), timeout=10)
    raw.sendall(
        f"POST {target} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {10 << 20}\r\n\r\n".encode()
        + b"x" * (1 << 20)
    )
    assert _wait_until(lambda: bool(list(workspace.glob(".upload-*"))))
    # When the client goes away mid-body
    raw.close()
    # Then the partial file goes, and nothing takes the target name
    assert _wait_until(lambda: not list(workspace.glob(".upload-*")))
    listing = http.get(f"/api/workflows/{created['workflow_id']}/workspace").json()["items"]
    assert "cut.bin" not in {f["name"] for f in listing}
    assert not (workspace / "cut.bin").exists()


def _wait_until(condition: Callable[[], bool], timeout: float = 10) -> bool:
    """The server reacts asynchronously; a liveness bound, not a speed check."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_files_move_within_the_workspace(http: httpx.Client, swagger: dict[str, Any]) -> None:
    # Given
    name = create(http, "contract-move")["workflow_name"]
    http.post(
        f"/api/workflows/{name}/workspace",
        params={"file_name": "a/b.txt"},
        headers={"Content-Type": "application/octet-stream"},
        content=b"moved",
    )
    # When
    moved = http.put(
        f"/api/workflows/move_files/{name}", params={"source": "a/b.txt", "target": "c.txt"}
    )
    escape = http.put(
        f"/api/workflows/move_files/{name}", params={"source": "c.txt", "target": "../x"}
    )
    # Then
    check_response(swagger, "/api/workflows/move_files/{workflow_id_or_name}", moved)
    check_response(swagger, "/api/workflows/move_files/{workflow_id_or_name}", escape)
    assert (moved.status_code, escape.status_code) == (200, 400)
    assert http.get(f"/api/workflows/{name}/workspace/c.txt").content == b"moved"


def test_a_fault_can_cut_a_download_short(http: httpx.Client, rol_sandbox: Sandbox) -> None:
    # Given
    name = create(http, "contract-cut-download")["workflow_name"]
    http.post(
        f"/api/workflows/{name}/workspace",
        params={"file_name": "data.bin"},
        headers={"Content-Type": "application/octet-stream"},
        content=b"z" * (2 << 20),
    )
    rol_sandbox.set_faults("reana", [{"path": "/workspace/data.bin$", "drop_after_bytes": 1000}])
    # When / Then
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"/api/workflows/{name}/workspace/data.bin")


def test_unicode_file_names_round_trip(http: httpx.Client) -> None:
    # Given
    name = create(http, "contract-unicode")["workflow_name"]
    file_name = "données/日本 résumé+50%.txt"
    # When
    uploaded = http.post(
        f"/api/workflows/{name}/workspace",
        params={"file_name": file_name},
        headers={"Content-Type": "application/octet-stream"},
        content="grüße".encode(),
    )
    listed = [f["name"] for f in http.get(f"/api/workflows/{name}/workspace").json()["items"]]
    downloaded = http.get(f"/api/workflows/{name}/workspace/{file_name}")
    deleted = http.delete(f"/api/workflows/{name}/workspace/{file_name}").json()
    # Then
    assert uploaded.status_code == 200
    assert file_name in listed
    assert downloaded.content.decode() == "grüße"
    disposition = downloaded.headers["content-disposition"]
    assert 'filename=" resume+50%.txt"' in disposition
    assert "filename*=UTF-8''%E6%97%A5%E6%9C%AC%20r%C3%A9sum%C3%A9%2B50%25.txt" in disposition
    assert list(deleted["deleted"]) == [file_name]
