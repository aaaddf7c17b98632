"""openBIS datasets as inputs of a REANA run: streamed into the workspace, recorded, started.

Both sandboxes with the real clients: the extension's pybis session reads openBIS, and the
real reana-client (its own environment) lists the workspace the run got.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from ..reana.reana_helpers import assert_no_token
from ..sandbox.reana_client_cli import ReanaClient
from .loop_helpers import (
    CONNECTION,
    REANA,
    Seeded,
    analysis,
    as_json,
    connected,
    finished_job,
    run_with_inputs,
    workflow_exists,
    workspace_names,
)


def workspace_file(sandbox: Any, workflow: str, name: str) -> bytes:
    response = httpx.get(
        f"{sandbox.reana_url}/api/workflows/{workflow}/workspace/{name}",
        params={"access_token": sandbox.reana_token},
        timeout=30,
    )
    response.raise_for_status()
    return response.content


async def test_a_dataset_streams_into_the_workspace_and_the_run_starts(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, reana_client_env: Path
) -> None:
    # Given a spec and a dataset of openBIS
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    inputs = [
        {
            "connection": CONNECTION,
            "permId": seeded.raw_measurement_1,
            "folder": "inputs/measurement",
        }
    ]
    # When the run is started with it as input
    job = await finished_job(api, path, inputs)
    # Then the job staged every file, wrote the record and started the run
    assert job["state"] == "done", job
    assert job["result"]["state"] == "started"
    assert job["details"]["openbisInputs"][0]["permId"] == seeded.raw_measurement_1
    assert job["bytesDone"] == job["bytesTotal"]
    assert_no_token(job, token=rol_sandbox.reana_token)
    workflow = job["result"]["workflowId"]
    # And the real reana-client sees the staged inputs (openBIS' original/ dropped)
    client = ReanaClient(reana_client_env, rol_sandbox, jp_root_dir)
    listed = {row["name"] for row in client.rows("ls", "-w", workflow)}
    assert {
        "inputs/measurement/README.txt",
        "inputs/measurement/data/measurement.csv",
        "inputs/measurement/metadata/params.json",
        "code/count.py",
        "reana.yaml",
        "provenance/run.json",
    } <= listed
    # And the staged bytes are openBIS' own
    readme = workspace_file(rol_sandbox, workflow, "inputs/measurement/README.txt")
    assert readme == b"Raw measurement 1\n"
    # And the record names the dataset, its files with checksums, the spec and who ran it
    record = as_json(workspace_file(rol_sandbox, workflow, "provenance/run.json"))
    assert record["schema"] == "reana-openbis-lab/provenance/run/1"
    assert record["reana"]["workflowId"] == workflow
    assert record["reana"]["server"] == rol_sandbox.reana_url
    streamed = [i for i in record["inputs"] if i["how"] == "streamed"]
    assert [i["permId"] for i in streamed] == [seeded.raw_measurement_1]
    assert streamed[0]["server"] == rol_sandbox.openbis_url
    assert streamed[0]["type"]
    readme_entry = next(f for f in streamed[0]["files"] if f["path"] == "original/README.txt")
    assert readme_entry["size"] == len(b"Raw measurement 1\n")
    assert len(readme_entry["crc32"]) == 8
    assert record["specification"]["path"] == path
    assert record["specification"]["engine"] == "serial"
    assert record["startedBy"]["folder"] == "analysis"
    assert record["environment"]["requirements.txt"]["text"] == "numpy==2.1.0\n"
    assert rol_sandbox.reana_token not in str(record)


async def test_the_default_folder_is_named_after_the_dataset(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    job = await finished_job(
        api, path, [{"connection": CONNECTION, "permId": seeded.raw_measurement_2}]
    )
    assert job["state"] == "done", job
    assert job["details"]["openbisInputs"][0]["folder"] == "inputs/Raw measurement 2"
    names = await workspace_names(api, job["result"]["workflowId"])
    assert "inputs/Raw measurement 2/README.txt" in names


async def test_two_inputs_in_one_folder_are_refused_before_any_job(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    status, body = await run_with_inputs(
        api,
        path,
        [
            {"connection": CONNECTION, "permId": seeded.raw_measurement_1, "folder": "in"},
            {"connection": CONNECTION, "permId": seeded.raw_measurement_2, "folder": "in/x"},
        ],
    )
    assert status == 409, body
    assert body["code"] == "name_clash"
    assert body["field"] == "openbisInputs[1].folder"


async def test_a_folder_clashing_with_the_specs_files_fails_before_creation(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    _, before = await api("GET", f"reana/connections/{REANA}/workflows")
    job = await finished_job(
        api,
        path,
        [{"connection": CONNECTION, "permId": seeded.raw_measurement_1, "folder": "code"}],
    )
    assert job["state"] == "failed"
    assert job["details"]["failedStep"] == "load"
    assert "code/count.py" in job["error"]
    _, after = await api("GET", f"reana/connections/{REANA}/workflows")
    assert after["total"] == before["total"]


async def test_an_unknown_dataset_is_a_404_naming_it(
    api, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    status, body = await run_with_inputs(
        api, path, [{"connection": CONNECTION, "permId": "20990101000000000-1"}]
    )
    assert status == 404, body
    assert body["field"] == "openbisInputs[0].permId"


async def test_without_inputs_a_run_still_gets_its_record(
    api, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    job = await finished_job(api, path, [])
    assert job["state"] == "done", job
    record = as_json(
        workspace_file(rol_sandbox, job["result"]["workflowId"], "provenance/run.json")
    )
    assert record["inputs"] == []
    assert record["uploaded"] == [
        {
            "path": "code/count.py",
            "size": len((jp_root_dir / "analysis/code/count.py").read_bytes()),
        },
        {"path": "reana.yaml", "size": len((jp_root_dir / path).read_bytes())},
    ]
    assert await workflow_exists(api, job["result"]["workflowId"])
