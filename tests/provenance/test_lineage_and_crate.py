"""The lineage of a published dataset (with its REANA run) and RO-Crate exports, read back
with ro-crate-py and checked by roc-validator against the Workflow Run Crate profile."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from rocrate.rocrate import ROCrate

from ..reana.reana_helpers import wait_for_job
from .crate_validation import unexpected_recommendations, validation_issues
from .loop_helpers import CONNECTION, REANA, Seeded
from .test_publish import finished_run, publish_body


async def published(api: Any, root: Path, sandbox: Any, seeded: Seeded) -> tuple[str, str]:
    workflow = await finished_run(api, root, sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    _, job = await api(
        "POST", f"reana/connections/{REANA}/workflows/{workflow}/publish", publish_body(overview)
    )
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    return workflow, job["result"]["permId"]


async def test_the_lineage_shows_the_run_between_inputs_and_result(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    workflow, perm_id = await published(api, jp_root_dir, rol_sandbox, seeded)
    status, graph = await api(
        "GET", f"openbis/connections/{CONNECTION}/datasets/{perm_id}/lineage", depth=2
    )
    assert status == 200, graph
    kinds = {n["id"]: n["kind"] for n in graph["nodes"]}
    run_id = f"run:{workflow}"
    assert kinds[perm_id] == "dataset"
    assert kinds[run_id] == "run"
    assert kinds[seeded.raw_measurement_1] == "dataset"
    edges = {(e["from"], e["to"]) for e in graph["edges"]}
    assert (seeded.raw_measurement_1, run_id) in edges
    assert (run_id, perm_id) in edges
    assert (seeded.raw_measurement_1, perm_id) not in edges
    run = next(n for n in graph["nodes"] if n["id"] == run_id)
    assert run["server"] == rol_sandbox.reana_url
    # And from the input's side, the published dataset is a child
    status, graph = await api(
        "GET", f"openbis/connections/{CONNECTION}/datasets/{seeded.raw_measurement_1}/lineage"
    )
    assert status == 200, graph
    assert (seeded.raw_measurement_1, perm_id) in {(e["from"], e["to"]) for e in graph["edges"]}


async def test_a_run_exports_as_a_workflow_run_crate(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, tmp_path: Path
) -> None:
    workflow, perm_id = await published(api, jp_root_dir, rol_sandbox, seeded)
    (jp_root_dir / "crates").mkdir()
    status, answer = await api(
        "POST",
        "provenance/crate",
        {
            "source": "run",
            "connection": REANA,
            "workflow": workflow,
            "destination": "crates",
            "format": "zip",
        },
    )
    assert status == 201, answer
    archive = jp_root_dir / answer["path"]
    assert archive.suffix == ".zip"
    unpacked = tmp_path / "crate"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(unpacked)
    crate = ROCrate(unpacked)
    assert crate.mainEntity.id == "reana.yaml"
    action = next(e for e in crate.get_entities() if e.type == "CreateAction")
    objects = {o.id for o in action["object"]}
    assert any(seeded.raw_measurement_1 in o for o in objects)
    results = {r.id for r in action["result"]}
    assert any(perm_id in r for r in results)
    assert any(r.endswith("results/count.txt") for r in results)
    assert validation_issues(unpacked, tmp_path / "cache") == []
    unexpected = unexpected_recommendations(unpacked, tmp_path / "cache")
    assert unexpected == [], "\n".join(unexpected)
    output = next(e for e in crate.get_entities() if e.id.endswith("results/count.txt"))
    assert int(output["contentSize"]) > 0
    # And a second export refuses to replace the first, in words the UI can ask with
    again = {"source": "run", "connection": REANA, "workflow": workflow, "destination": "crates"}
    status, body = await api("POST", "provenance/crate", again)
    assert (status, body["code"]) == (409, "target_exists"), body
    assert body["message"] == f"'{archive.name}' exists already in that folder"
    # When the user keeps both, the new one goes beside it under a free name
    status, kept = await api("POST", "provenance/crate", {**again, "keepBoth": True})
    assert status == 201, kept
    assert kept["path"] == f"crates/{archive.stem} (1).zip"
    # When the user replaces it, it is replaced whole, and nothing else is left in the folder
    before = archive.stat().st_mtime_ns
    status, replaced = await api("POST", "provenance/crate", {**again, "overwrite": True})
    assert (status, replaced["path"]) == (201, answer["path"]), replaced
    assert archive.stat().st_mtime_ns >= before and zipfile.is_zipfile(archive)
    assert sorted(p.name for p in archive.parent.iterdir()) == sorted(
        [archive.name, f"{archive.stem} (1).zip"]
    )
    # And both at once is a question, not an answer
    status, body = await api(
        "POST", "provenance/crate", {**again, "overwrite": True, "keepBoth": True}
    )
    assert (status, body["field"]) == (400, "keepBoth"), body


async def test_a_published_dataset_exports_as_a_crate_folder(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, tmp_path: Path
) -> None:
    _, perm_id = await published(api, jp_root_dir, rol_sandbox, seeded)
    status, answer = await api(
        "POST",
        "provenance/crate",
        {
            "source": "dataset",
            "connection": CONNECTION,
            "permId": perm_id,
            "format": "folder",
        },
    )
    assert status == 201, answer
    folder = jp_root_dir / answer["path"]
    crate = ROCrate(folder)
    assert crate.mainEntity is not None
    assert (folder / "provenance" / "run.json").is_file()
    assert validation_issues(folder, tmp_path / "cache") == []
    # The dataset holds the run's record, made when it started: its end is not in it (8.4)
    unexpected = unexpected_recommendations(
        folder, tmp_path / "cache", frozenset({"process-run-crate-0.5_8.4"})
    )
    assert unexpected == [], "\n".join(unexpected)
    # And a folder crate is replaced whole on request (a folder cannot be renamed over)
    (folder / "stale.txt").write_text("from before")
    status, again = await api(
        "POST",
        "provenance/crate",
        {
            "source": "dataset",
            "connection": CONNECTION,
            "permId": perm_id,
            "format": "folder",
            "overwrite": True,
        },
    )
    assert (status, again["path"]) == (201, answer["path"]), again
    assert not (folder / "stale.txt").exists()
    assert (folder / "provenance" / "run.json").is_file()
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".ro-crate")] == []


async def test_a_dataset_without_a_record_has_no_crate(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    status, body = await api(
        "POST",
        "provenance/crate",
        {"source": "dataset", "connection": CONNECTION, "permId": seeded.raw_measurement_2},
    )
    assert status == 409, body
