"""Run on REANA (job kind reana-run) against the REANA sandbox with the real reana-client worker."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from ..hostile_paths import HOSTILE_PATHS, plant_escape_symlinks
from .reana_helpers import add_connection, assert_no_token, wait_for_job
from .spec_support import server_config

SPEC = """version: 0.3.0
inputs:
  files:
    - code/hello.py
  directories:
    - data
  parameters:
    message: hello
    inputfile: data/names.txt
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands:
          - python code/hello.py --input "${inputfile}" --message "${message}"
outputs:
  files:
    - results/greetings.txt
"""


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


def analysis(root: Path, spec: str = SPEC, folder: str = "analysis") -> str:
    """A small serial analysis with a code file and a data folder; returns the spec's path."""
    base = root / folder
    (base / "code").mkdir(parents=True)
    (base / "data" / "more").mkdir(parents=True)
    (base / "code" / "hello.py").write_text("print('hello')\n")
    (base / "data" / "names.txt").write_text("Jane\nJohn\n")
    (base / "data" / "more" / "extra.csv").write_bytes(b"x,y\n" * 10_000)
    (base / "reana.yaml").write_text(spec)
    return f"{folder}/reana.yaml"


async def connected(api: Any, sandbox: Sandbox) -> str:
    status, body = await add_connection(api, sandbox)
    assert status == 201, body
    return "sandbox"


async def workflow_status(api: Any, connection: str, workflow_id: str) -> str:
    status, body = await api("GET", f"reana/connections/{connection}/workflows/{workflow_id}")
    assert status == 200, body
    return body["status"]


async def wait_for_status(api: Any, connection: str, workflow_id: str, wanted: str) -> str:
    while True:
        current = await workflow_status(api, connection, workflow_id)
        if current in (wanted, "failed", "stopped", "deleted"):
            return current
        await asyncio.sleep(0.1)


async def workflow_count(api: Any, connection: str) -> int:
    status, body = await api("GET", f"reana/connections/{connection}/workflows")
    assert status == 200, body
    return body["total"]


async def test_a_serial_analysis_runs_end_to_end(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    # Given
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    # When
    status, job = await api(
        "POST",
        "reana/run",
        {"connection": connection, "path": path, "name": "hello", "parameters": {"message": "hi"}},
    )
    # Then the job runs every step and starts the workflow
    assert status == 202, job
    assert job["kind"] == "reana-run"
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    assert job["step"] == "start"
    result = job["result"]
    assert result["state"] == "started"
    assert result["workflowName"].startswith("hello")
    assert result["uploaded"] == [
        "code/hello.py",
        "data/more/extra.csv",
        "data/names.txt",
        "reana.yaml",
    ]
    assert job["filesDone"] == job["filesTotal"] == result["uploadedCount"] == 4
    assert job["bytesDone"] == job["bytesTotal"] > 40_000
    assert_no_token(job, token=rol_sandbox.reana_token)
    # And the workflow reaches finished in REANA, with the files in its workspace
    final = await wait_for_status(api, connection, result["workflowId"], "finished")
    assert final == "finished"
    status, listing = await api(
        "GET", f"reana/connections/{connection}/workflows/{result['workflowId']}/workspace"
    )
    names = {item["name"] for item in listing["items"]}
    assert {"code/hello.py", "data/names.txt", "data/more/extra.csv", "reana.yaml"} <= names


async def test_create_uploads_but_does_not_start_and_start_runs_it_later(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    # Given
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    # When
    status, job = await api("POST", "reana/create", {"connection": connection, "path": path})
    job = await wait_for_job(api, job["id"])
    # Then
    assert status == 202
    assert job["state"] == "done", job
    assert job["step"] == "record"  # the provenance record, after the upload
    assert job["result"]["state"] == "created, not started"
    assert job["result"]["workflowName"].startswith("analysis")
    workflow_id = job["result"]["workflowId"]
    assert await workflow_status(api, connection, workflow_id) == "created"
    # And starting it later (the workflows route) runs it to the end
    status, started = await api(
        "POST",
        f"reana/connections/{connection}/workflows/{workflow_id}/start",
        {"parameters": {"message": "later"}},
    )
    assert status == 200, started
    assert await wait_for_status(api, connection, workflow_id, "finished") == "finished"


async def test_a_failed_upload_names_the_step_and_what_was_left(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    # Given REANA refuses file uploads
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    rol_sandbox.set_faults("reana", [{"path": "/workspace$", "http_method": "POST", "status": 500}])
    # When
    _, job = await api("POST", "reana/run", {"connection": connection, "path": path})
    job = await wait_for_job(api, job["id"])
    # Then
    assert job["state"] == "failed"
    assert job["step"] == "upload"
    assert job["details"]["failedStep"] == "upload"
    assert job["error"].startswith("Upload failed")
    assert "was created but not started" in job["error"]
    assert job["details"]["state"] == "created, not started"
    workflow_id = job["details"]["workflowId"]
    assert await workflow_status(api, connection, workflow_id) == "created"
    assert_no_token(job, token=rol_sandbox.reana_token)


async def test_an_input_outside_the_spec_folder_fails_before_anything_is_created(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    # Given
    connection = await connected(api, rol_sandbox)
    (jp_root_dir / "secret.txt").write_text("not for REANA")
    path = analysis(jp_root_dir, SPEC.replace("    - code/hello.py", "    - ../secret.txt"))
    before = await workflow_count(api, connection)
    # When
    _, job = await api("POST", "reana/run", {"connection": connection, "path": path})
    job = await wait_for_job(api, job["id"])
    # Then
    assert job["state"] == "failed"
    assert job["details"]["failedStep"] == "load"
    assert "'../secret.txt' is outside the specification's folder" in job["error"]
    assert "workflowId" not in job["details"]
    assert await workflow_count(api, connection) == before


async def test_a_missing_input_file_fails_at_load(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir, SPEC.replace("code/hello.py", "code/missing.py"))
    _, job = await api("POST", "reana/run", {"connection": connection, "path": path})
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed"
    assert job["details"]["failedStep"] == "load"
    assert "inputs.files: 'code/missing.py' does not exist" in job["error"]


async def test_an_invalid_spec_fails_at_validate(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir, SPEC.replace("type: serial", "type: nextflow"))
    _, job = await api("POST", "reana/run", {"connection": connection, "path": path})
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed"
    assert job["details"]["failedStep"] == "validate"
    assert "Unknown workflow type 'nextflow'" in job["error"]


async def test_an_undeclared_parameter_fails_at_load(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    body = {"connection": connection, "path": path, "parameters": {"nope": 1}}
    _, job = await api("POST", "reana/run", body)
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed"
    assert job["details"]["failedStep"] == "load"
    assert "nope" in job["error"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"path": "a/reana.yaml"}, "connection"),
        ({"connection": "sandbox"}, "path"),
        ({"connection": "sandbox", "path": "a/reana.yaml", "name": "bad.name"}, "name"),
        (
            {
                "connection": "sandbox",
                "path": "a/reana.yaml",
                "name": "5a6e6bd6-5cc8-4d6e-9a0a-3f0b6f3c3c11",
            },
            "name",
        ),
        ({"connection": "sandbox", "path": "a/reana.yaml", "parameters": [1]}, "parameters"),
    ],
)
async def test_bad_requests_are_400_naming_the_field(
    api, rol_sandbox: Sandbox, body: dict, field: str
) -> None:
    await connected(api, rol_sandbox)
    status, answer = await api("POST", "reana/run", body)
    assert status == 400, answer
    assert answer["field"] == field


async def test_an_unknown_connection_or_spec_is_404_before_any_job(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    path = analysis(jp_root_dir)
    status, _ = await api("POST", "reana/run", {"connection": "nobody", "path": path})
    assert status == 404
    connection = await connected(api, rol_sandbox)
    status, body = await api("POST", "reana/run", {"connection": connection, "path": "no.yaml"})
    assert status == 404 and body["field"] == "path"
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_hostile_spec_paths_are_refused_before_any_job(
    api, jp_root_dir: Path, rol_sandbox: Sandbox, tmp_path: Path
) -> None:
    connection = await connected(api, rol_sandbox)
    plant_escape_symlinks(jp_root_dir, tmp_path / "outside")
    for payload in HOSTILE_PATHS:
        for route in ("reana/run", "reana/create"):
            status, _ = await api("POST", route, {"connection": connection, "path": payload})
            assert 400 <= status < 500, (route, payload, status)
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_a_run_holds_against_a_server_that_closes_kept_alive_connections(
    api, jp_root_dir: Path, rol_sandbox: Sandbox
) -> None:
    # Given a server that, like reana-server's uWSGI, drops every request sent on a connection
    # that already had an answer (the real 0.9.4 and 0.95.0a6 did it to the provenance record's
    # upload and to the start that follows the inputs')
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    rol_sandbox.set_faults("reana", [{"close_reused": True}])
    # (a name of its own: the sandbox is shared by the session's tests, its search matches parts)
    name = f"closes-{uuid.uuid4().hex[:8]}"
    # When a run is created, sent, recorded and started
    _, job = await api("POST", "reana/run", {"connection": connection, "path": path, "name": name})
    job = await wait_for_job(api, job["id"])
    # Then every step got through, each run created and started once
    assert job["state"] == "done", job
    workflow = job["result"]["workflowId"]
    base = f"reana/connections/{connection}/workflows"
    _, page = await api("GET", base, search=name)
    assert [item["id"] for item in page["items"]] == [workflow]
    # and stopping and deleting it get through too
    assert await wait_for_status(api, connection, workflow, "running") == "running"
    status, body = await api("POST", f"{base}/{workflow}/stop", {})
    assert status == 200, body
    status, body = await api("DELETE", f"{base}/{workflow}")
    assert status == 200, body
