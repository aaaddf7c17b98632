"""Ways out that no request names: links below accepted folders, linked bookkeeping files,
and specifications that name files outside. Whatever the answer, nothing outside changes
and nothing from outside is read, sent or shown.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401

from .support import (  # noqa: F401  (fixtures)
    CONNECTION,
    FINISHED_RUN,
    extension_config,
    snapshot,
    wait_for_jobs,
)

SECRET = "SECRET-OUTSIDE-THE-ROOT"
WORKSPACE = f"reana/connections/{CONNECTION}/workflows/{FINISHED_RUN}/workspace"
SERIAL_SPEC = """version: 0.3.0
inputs:
  files: [{files}]
  directories: [{directories}]
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands: [ls]
"""
FOLDER_WITH_LINK = SERIAL_SPEC.format(files="", directories="data")
CWL_SPEC = """version: 0.3.0
workflow:
  type: cwl
  file: {file}
"""


@pytest.fixture
def outside(jp_root_dir: Path) -> Path:
    """A folder next to the root with secrets a link from inside could lead to."""
    directory = jp_root_dir.parent / "outside"
    (directory / ".openbis").mkdir(parents=True)
    (directory / ".openbis" / "datasets.json").write_text(
        json.dumps({"datasets": [{"permId": SECRET, "files": [], "connection": "x"}]})
    )
    (directory / "secret.txt").write_text(SECRET)
    (directory / "workflow.cwl").write_text(f"# {SECRET}\ncwlVersion: v1.0\nclass: Workflow\n")
    return directory


def unchanged(outside: Path, before: Any) -> None:
    assert snapshot(outside) == before
    assert (outside / "secret.txt").read_text() == SECRET


async def manifest(jp_fetch: Any, folder: str) -> tuple[int, str]:
    response = await jp_fetch(
        "reana-openbis-lab", "openbis", "manifest", params={"path": folder}, raise_error=False
    )
    return response.code, response.body.decode()


async def download(api: Any, perm_id: str, destination: str, **extra: Any) -> tuple[int, Any]:
    body = {"connection": CONNECTION, "permId": perm_id, "destination": destination, **extra}
    return await api("POST", "openbis/downloads", body)


async def test_a_linked_openbis_folder_in_the_destination_is_neither_written_nor_read(
    api, jp_fetch, seeded, jp_root_dir: Path, outside: Path
) -> None:
    # Given a destination whose `.openbis` bookkeeping folder is a link to a folder outside
    (jp_root_dir / "dest").mkdir()
    (jp_root_dir / "dest" / ".openbis").symlink_to(outside / ".openbis")
    before = snapshot(outside)
    # When a dataset is downloaded there, and the folder's manifest is asked for
    status, _ = await download(api, seeded.raw_measurement_2, "dest")
    await wait_for_jobs(api)
    listed = await manifest(jp_fetch, "dest")
    # Then nothing outside was written, and the outside manifest was not shown
    unchanged(outside, before)
    assert SECRET not in listed[1]
    assert status == 202 or 400 <= status < 500


async def test_a_linked_manifest_file_is_neither_written_nor_read(
    api, jp_fetch, seeded, jp_root_dir: Path, outside: Path
) -> None:
    (jp_root_dir / "dest" / ".openbis").mkdir(parents=True)
    (jp_root_dir / "dest" / ".openbis" / "datasets.json").symlink_to(
        outside / ".openbis" / "datasets.json"
    )
    before = snapshot(outside)
    await download(api, seeded.raw_measurement_2, "dest")
    await wait_for_jobs(api)
    listed = await manifest(jp_fetch, "dest")
    unchanged(outside, before)
    assert SECRET not in listed[1]


def plant_links_in_destination(root: Path, outside: Path) -> None:
    """A destination holding a file link and a folder link out, where the dataset's README.txt
    and data/ will land."""
    dest = root / "dest"
    dest.mkdir()
    (dest / "README.txt").symlink_to(outside / "secret.txt")
    (dest / "data").symlink_to(outside)


async def test_links_below_a_download_destination_are_never_written_through(
    api, seeded, jp_root_dir: Path, outside: Path
) -> None:
    plant_links_in_destination(jp_root_dir, outside)
    before = snapshot(outside)
    # When the dataset is downloaded there, without and with overwrite
    for overwrite in (False, True):
        status, reply = await download(api, seeded.raw_measurement_1, "dest", overwrite=overwrite)
        assert status < 500 or status == 502, reply
        await wait_for_jobs(api)
        # Then nothing was written through the links
        unchanged(outside, before)


async def test_a_link_in_the_way_of_a_download_is_a_local_4xx(
    api, seeded, jp_root_dir: Path, outside: Path
) -> None:
    plant_links_in_destination(jp_root_dir, outside)
    status, reply = await download(api, seeded.raw_measurement_1, "dest", overwrite=True)
    assert 400 <= status < 500, reply
    assert reply["code"] in ("outside_root", "local_in_the_way"), reply
    assert "README.txt" in reply["message"] or "data" in reply["message"]


async def test_links_below_a_workspace_download_destination_are_never_written_through(
    api, jp_root_dir: Path, outside: Path
) -> None:
    dest = jp_root_dir / "ws"
    dest.mkdir()
    (dest / "reana.yaml").symlink_to(outside / "secret.txt")
    before = snapshot(outside)
    for overwrite in (False, True):
        status, reply = await api(
            "POST",
            f"{WORKSPACE}/download",
            {"paths": ["reana.yaml"], "destination": "ws", "overwrite": overwrite},
        )
        assert status == 202 or 400 <= status < 500, reply
        await wait_for_jobs(api)
        unchanged(outside, before)


async def test_a_linked_requirements_file_is_never_written_through(
    api, jp_root_dir: Path, outside: Path
) -> None:
    (jp_root_dir / "nb.ipynb").write_text("{}")
    (jp_root_dir / "requirements.txt").symlink_to(outside / "secret.txt")
    (jp_root_dir / "runtime.txt").symlink_to(outside / "new-runtime.txt")
    before = snapshot(outside)
    body = {
        "notebook_path": "nb.ipynb",
        "requirements_list": ["numpy==1.26.4"],
        "runtime": "python-3.11",
        "overwrite": True,
    }
    status, reply = await api("POST", "requirements", body)
    assert 400 <= status < 500 or status == 200, reply
    unchanged(outside, before)
    assert not (outside / "new-runtime.txt").exists()


async def test_a_linked_notebook_is_not_uploaded(api, jp_root_dir: Path, outside: Path) -> None:
    (outside / "private.ipynb").write_text(json.dumps({"cells": [], "secret": SECRET}))
    (jp_root_dir / "ok.txt").write_text("fine")
    (jp_root_dir / "nb.ipynb").symlink_to(outside / "private.ipynb")
    status, reply = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["ok.txt"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": "/LAB_A/MICROSCOPY/IMAGING_2024"},
            "includeNotebook": "nb.ipynb",
        },
    )
    assert (status, reply["field"]) == (400, "includeNotebook"), reply
    assert (await wait_for_jobs(api)) == []


def analysis(root: Path, outside: Path, spec: str) -> str:
    """A spec folder with a file link and a folder holding a link, both leading outside."""
    base = root / "analysis"
    (base / "data").mkdir(parents=True)
    (base / "data" / "fine.txt").write_text("fine")
    (base / "data" / "leak.txt").symlink_to(outside / "secret.txt")
    (base / "leak.txt").symlink_to(outside / "secret.txt")
    (base / "flow.cwl").symlink_to(outside / "workflow.cwl")
    (base / "reana.yaml").write_text(spec)
    return "analysis/reana.yaml"


async def workflow_names(api: Any) -> set[str]:
    status, body = await api("GET", f"reana/connections/{CONNECTION}/workflows", size=200)
    assert status == 200, body
    return {w["name"] for w in body["items"]}


@pytest.mark.parametrize(
    "spec",
    [
        SERIAL_SPEC.format(files="leak.txt", directories=""),
        FOLDER_WITH_LINK,
        SERIAL_SPEC.format(files="../outside/secret.txt", directories=""),
        SERIAL_SPEC.format(files="{}/secret.txt", directories=""),
        CWL_SPEC.format(file="flow.cwl"),
        CWL_SPEC.format(file="../../outside/workflow.cwl"),
    ],
    ids=["file-link", "folder-with-link", "dotdot", "absolute", "cwl-link", "cwl-dotdot"],
)
async def test_specs_naming_files_outside_send_nothing(
    api, jp_root_dir: Path, outside: Path, spec: str, caplog
) -> None:
    # Given a spec whose inputs or workflow file lead outside the root
    path = analysis(jp_root_dir, outside, spec.replace("{}", str(outside)))
    before = await workflow_names(api)
    # When it is validated, and created on REANA
    status, verdict = await api("POST", "reana/validate", {"path": path})
    assert status < 500, verdict
    if "cwl" in spec:  # a workflow file outside is refused (inputs are checked at load, as
        # reana-client's own validate does not look at them)
        assert (status == 200 and verdict["valid"] is False) or 400 <= status < 500, verdict
    status, _ = await api("POST", "reana/create", {"connection": CONNECTION, "path": path})
    jobs = await wait_for_jobs(api, timeout=60)
    # Then it was refused or failed before any workflow was created, and no secret moved
    uploaded = (jobs[0].get("result") or {}).get("uploaded", []) if jobs else []
    assert not [name for name in uploaded if "leak" in name or "flow" in name], uploaded
    assert SECRET not in json.dumps([verdict, jobs]) + caplog.text
    assert 400 <= status < 500 or jobs[0]["state"] == "failed", jobs
    assert await workflow_names(api) == before


async def test_a_spec_whose_input_folder_links_outside_creates_nothing(
    api, jp_root_dir: Path, outside: Path
) -> None:
    path = analysis(jp_root_dir, outside, FOLDER_WITH_LINK)
    before = await workflow_names(api)
    status, _ = await api("POST", "reana/create", {"connection": CONNECTION, "path": path})
    jobs = await wait_for_jobs(api, timeout=60)
    assert 400 <= status < 500 or jobs[0]["state"] == "failed", jobs
    assert await workflow_names(api) == before
