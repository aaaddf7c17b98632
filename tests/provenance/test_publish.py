"""Publishing a finished run to openBIS: workspace -> data store, parents from the record.

The new dataset is read back with the real pybis: its parents, its properties (the run
summary in NOTES) and its files, `provenance/run.json` and the spec among them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pybis

from ..reana.reana_helpers import wait_for_job
from .loop_helpers import (
    CONNECTION,
    REANA,
    Seeded,
    analysis,
    connected,
    finished_job,
    workspace_names,
)


async def finished_run(api: Any, root: Path, sandbox: Any, seeded: Seeded) -> str:
    await connected(api, sandbox)
    job = await finished_job(
        api, analysis(root), [{"connection": CONNECTION, "permId": seeded.raw_measurement_1}]
    )
    assert job["state"] == "done", job
    workflow = job["result"]["workflowId"]
    while True:
        _, detail = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}")
        if detail["status"] in ("finished", "failed"):
            assert detail["status"] == "finished"
            return workflow
        await asyncio.sleep(0.1)


def publish_body(overview: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "openbisConnection": overview["openbisConnection"],
        "paths": overview["outputs"],
        "datasetType": "ANALYZED_DATA",
        "target": overview["target"],
        "parents": overview["parents"],
        "properties": {"$NAME": "Counted measurement", "NOTES": "Checked by hand."},
        "summaryProperty": "NOTES",
        **changes,
    }


async def test_a_published_run_reads_back_with_its_lineage_and_provenance(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis
) -> None:
    # Given a finished run that took a dataset from openBIS
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    status, overview = await api(
        "GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance"
    )
    assert status == 200, overview
    assert overview["parents"] == [seeded.raw_measurement_1]
    assert overview["outputs"] == ["results/count.txt"]
    assert overview["openbisConnection"] == CONNECTION
    assert overview["target"]["kind"] in ("object", "collection")
    assert overview["inputs"][0]["connection"] == CONNECTION
    # When it is published with the defaults the dialog offers
    status, job = await api(
        "POST", f"reana/connections/{REANA}/workflows/{workflow}/publish", publish_body(overview)
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    perm_id = job["result"]["permId"]
    # Then pybis reads the dataset back: parents, properties with the summary, files
    dataset = openbis.get_dataset(perm_id)
    assert dataset.parents == [seeded.raw_measurement_1]
    notes = dataset.props["notes"]
    assert notes.startswith("Checked by hand.\n\nMade by the REANA run loop.")
    assert workflow in notes
    files = set(dataset.file_list)
    assert {
        "original/default/results/count.txt",
        "original/default/provenance/run.json",
        "original/default/provenance/reana.yaml",
    } <= files
    dataset.download(
        files=["original/default/provenance/run.json"],
        destination=str(jp_root_dir / "readback"),
        create_default_folders=False,
        wait_until_finished=True,
    )
    found = list((jp_root_dir / "readback").rglob("run.json"))
    record = json.loads(found[0].read_text())
    assert record["reana"]["workflowId"] == workflow
    assert record["inputs"][0]["permId"] == seeded.raw_measurement_1
    # And the run now names the dataset published from it
    _, after = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    assert [d["permId"] for d in after["published"]] == [perm_id]
    assert after["published"][0]["connection"] == CONNECTION


async def test_a_summary_property_that_is_not_multi_line_is_refused(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    status, body = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/publish",
        publish_body(overview, summaryProperty="$NAME"),
    )
    assert status == 400, body
    assert body["field"] == "summaryProperty"


async def test_an_unknown_workspace_path_is_a_404(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    status, body = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/publish",
        publish_body(overview, paths=["results/nothing.txt"]),
    )
    assert status == 404, body


async def test_the_selection_is_any_workspace_files_and_folders_not_only_the_outputs(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis
) -> None:
    # Given a finished run, its declared output unticked in the dialog and, added from the
    # workspace listing, a folder (the staged input) and one more file
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    _, listing = await api(
        "GET", f"reana/connections/{REANA}/workflows/{workflow}/workspace", search="count.py"
    )
    assert [item["name"] for item in listing["items"]] == ["code/count.py"]
    staged = {name for name in await workspace_names(api, workflow) if name.startswith("inputs/")}
    assert staged
    status, job = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/publish",
        publish_body(overview, paths=["inputs", "code/count.py"]),
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    # Then the dataset holds exactly those, under their workspace paths, and the provenance
    files = set(openbis.get_dataset(job["result"]["permId"]).file_list)
    expected = {f"original/default/{name}" for name in {*staged, "code/count.py"}}
    assert expected <= files
    assert "original/default/results/count.txt" not in files
    assert "original/default/provenance/run.json" in files
