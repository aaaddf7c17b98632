"""Both REANA protocols (issue 18, 2): a bundle server (reana-commons 0.95.0a26's
`reana_server.json`, the sandbox's `--reana-api 0.95`) next to a 0.9 one.

Capabilities come from `GET /api/ping`, once per connection; on a bundle server runs are
created from a specification bundle, validated by the server (findings located in the
spec), started with `validation_warnings`, restarted with a replacement spec; stops send
no body anywhere.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.reana import bundle

from .reana_helpers import add_connection, wait_for_job

BASE = "reana/connections/new/workflows"
SPEC = """\
version: 0.9.0
inputs:
  files: [data/names.txt]
  parameters:
    names: data/names.txt
workflow:
  type: serial
  specification:
    steps:
      - name: greet
        environment: docker.io/library/python:3.11-slim
        commands:
          - cat ${names} ${missing}
"""


@pytest.fixture
def analysis(jp_root_dir: Path) -> str:
    folder = jp_root_dir / "analysis"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "names.txt").write_text("Ada\n")
    (folder / "reana.yaml").write_text(SPEC)
    return "analysis/reana.yaml"


async def test_the_connection_shows_what_each_server_declares(api, rol_sandbox, reana095):
    # Given a 0.9 server and a bundle server
    status, old = await add_connection(api, rol_sandbox, name="old")
    assert status == 201
    status, new = await add_connection(api, reana095, name="new")
    assert status == 201
    # Then each connection's details say the server's version and capabilities
    assert old["api"] == {"version": "0.9.4", "capabilities": []}
    assert new["api"] == {
        "version": "0.95.0a7",
        "capabilities": ["workflow-specification-bundles-v1"],
    }


async def test_capabilities_are_read_once_per_connection(api, reana095, jp_serverapp):
    # Given a connection whose server was pinged when it was added
    await add_connection(api, reana095, name="new")
    client = jp_serverapp.web_app.settings["reana_openbis_lab"].reana.client("new")
    first = await client.server_api()
    # When the ping would fail from now on
    reana095.set_faults("reana", [{"path": "/api/ping$", "status": 500}])
    # Then the cached declaration still serves
    assert await client.server_api() is first
    # And a check (a reconnect) asks again, and says what went wrong
    status, body = await api("POST", "reana/connections/new/check")
    assert status == 502, body
    reana095.clear_faults("reana")
    status, body = await api("POST", "reana/connections/new/check")
    assert status == 200 and body["api"]["capabilities"] == ["workflow-specification-bundles-v1"]


async def test_the_bundle_server_validates_the_spec_with_located_findings(api, reana095, analysis):
    await add_connection(api, reana095, name="new")
    # When the spec is validated for the bundle server
    status, report = await api("POST", "reana/validate", {"path": analysis, "connection": "new"})
    # Then the server's verdict comes back, its warning placed on the spec's line
    assert status == 200, report
    assert report["validatedBy"] == "server"
    assert report["verdict"] == "valid-with-warnings"
    [warning] = report["warnings"]
    assert '"missing"' in warning["message"] and "[parameter.undeclared]" in warning["message"]
    assert warning["line"] == 13  # the step's commands


async def test_a_broken_spec_is_judged_invalid_by_the_server(api, reana095, jp_root_dir):
    await add_connection(api, reana095, name="new")
    (jp_root_dir / "broken.yaml").write_text("version: 0.9.0\nworkflow:\n  type: airflow\n")
    status, report = await api(
        "POST", "reana/validate", {"path": "broken.yaml", "connection": "new"}
    )
    assert status == 200, report
    assert report["valid"] is False
    assert "airflow" in report["errors"][0]["message"]


async def test_a_run_on_the_bundle_server_is_created_from_a_bundle(api, reana095, analysis):
    await add_connection(api, reana095, name="new")
    # When the spec is run on the bundle server
    status, job = await api("POST", "reana/run", {"connection": "new", "path": analysis})
    assert status == 202, job
    done = await wait_for_job(api, job["id"])
    # Then it was created (from a bundle), its input uploaded, and started
    assert done["state"] == "done", done
    result = done["result"]
    assert result["state"] == "started" and result["workflowName"].startswith("analysis.")
    assert set(result["uploaded"]) == {"reana.yaml", "data/names.txt"}
    # And what the server found revalidating it at start is shown
    assert any('"missing"' in w for w in result["startWarnings"])


async def test_restart_and_stop_speak_the_bundle_protocol(api, reana095, analysis):
    await add_connection(api, reana095, name="new")
    _, job = await api("POST", "reana/run", {"connection": "new", "path": analysis})
    done = await wait_for_job(api, job["id"])
    workflow_id = done["result"]["workflowId"]
    name = done["result"]["workflowName"]
    while (await api("GET", f"{BASE}/{workflow_id}"))[1]["status"] != "finished":
        await asyncio.sleep(0.1)
    # When the finished run is restarted with a replacement spec (POST .../restart)
    status, restarted = await api(
        "POST", f"{BASE}/{workflow_id}/start", {"restart": True, "specPath": analysis}
    )
    # Then its clone is named name.N.1
    assert status == 200, restarted
    assert restarted["name"] == f"{name}.1"
    # And a plain stop of the clone sends no body (0.95 answers any field with 422)
    clone = restarted["id"]
    while (await api("GET", f"{BASE}/{clone}"))[1]["status"] in ("queued", "pending"):
        await asyncio.sleep(0.05)
    status, body = await api("POST", f"{BASE}/{clone}/stop", {})
    assert status in (200, 409), body  # 409: it finished first
    assert "semantic" not in body.get("message", "")


def test_the_bundle_holds_the_spec_and_its_declared_workflow_files(tmp_path: Path):
    (tmp_path / "workflow").mkdir()
    (tmp_path / "workflow" / "main.cwl").write_text("cwlVersion: v1.0\n")
    (tmp_path / "params.yml").write_text("x: 1\n")
    (tmp_path / "data.csv").write_text("1\n")
    spec_path = tmp_path / "my-spec.yaml"
    spec_path.write_text("x")
    spec = {
        "inputs": {"files": ["data.csv"], "parameters": {"input": "params.yml"}},
        "workflow": {"type": "cwl", "file": "workflow/main.cwl#main"},
    }
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bundle.build_bundle(spec_path, spec))) as archive:
        assert sorted(archive.namelist()) == [
            "data.csv",  # the legacy scope: a workflow file without workflow.files
            "params.yml",
            "reana.yaml",
            "workflow/main.cwl",
        ]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())


def test_a_bundle_past_reana_clients_caps_is_refused_before_sending(tmp_path: Path):
    (tmp_path / "many").mkdir()
    for index in range(bundle.MAX_FILES + 1):
        (tmp_path / "many" / f"{index}.txt").write_text("")
    spec = {"workflow": {"type": "serial", "directories": ["many"]}}
    with pytest.raises(InvalidInput) as refused:
        bundle.build_bundle(tmp_path / "reana.yaml", spec)
    assert refused.value.code == "bundle_too_large"
    assert "1000 files" in refused.value.message
