"""The one documented transfer semantics (README: "What transfers do with symlinks, empty folders,
name clashes and special files"), run with one corpus over every route that moves files:
openBIS upload and download, REANA workspace upload and download, and the inputs of `/reana/create` and `/reana/run`.

The sandboxes are real openBIS/REANA stand-ins reached by the real pybis and reana-client; what
arrived is read back independently (our own pybis session, the REANA workspace listing).
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pybis
import pytest

from reana_openbis_lab_sandbox.handle import Sandbox
from reana_openbis_lab_sandbox.reana.seed import demo_specification

from .openbis.transfer_fixtures import CONNECTION, openbis  # noqa: F401  (fixture)
from .reana.reana_helpers import add_connection, wait_for_job
from .reana.spec_support import server_config
from .transfer_corpus import CASES, CORPUS, Case, make_corpus

COLLECTION = "/LAB_A/MICROSCOPY/IMAGING_2024"
REANA = "sandbox"
SEND_ROUTES = ("openbis-upload", "reana-upload", "reana-create", "reana-run")
#: Routes whose destination holds files only (REANA workspaces have no folders of their own).
FILES_ONLY = ("reana-upload", "reana-create", "reana-run")
#: Routes that send a specification's inputs (paths kept below the spec's folder).
SPEC_ROUTES = ("reana-create", "reana-run")
#: The provenance record every run started from JupyterLab gets in its workspace.
RECORD = "provenance/run.json"
SPEC = """version: 0.3.0
inputs:
  files: {files}
  directories: {directories}
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands:
          - ls
"""


@pytest.fixture
def extension_config(
    rol_sandbox: Sandbox, reana_client_env: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """alice's openBIS preset (password held) and the reana-client environment."""
    monkeypatch.setenv("LAB_OPENBIS_PASSWORD", rol_sandbox.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": CONNECTION,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "LAB_OPENBIS_PASSWORD",
            }
        ],
        **server_config(reana_client_env),
    }


@pytest.fixture
def corpus(jp_root_dir: Path, tmp_path: Path) -> Path:
    return make_corpus(jp_root_dir, tmp_path / "outside")


@pytest.fixture
def connect_reana(api: Any, rol_sandbox: Sandbox, jp_serverapp: Any) -> Any:
    """Adds the REANA connection; returns the lab's own client for it (to create workflows)."""

    async def connect() -> Any:
        status, body = await add_connection(api, rol_sandbox)
        assert status == 201, body
        return jp_serverapp.web_app.settings["reana_openbis_lab"].reana.client(REANA)

    return connect


def dataset_names(openbis: pybis.Openbis, perm_id: str) -> set[str]:
    """Files and empty folders ('/'-suffixed) of a dataset, below `original/`."""
    rows = openbis.get_dataset(perm_id).get_dataset_files().df.to_dict("records")
    paths = {str(r["path"]): bool(r["directory"]) for r in rows}
    names = set()
    for path, is_dir in paths.items():
        if not path.startswith("original/"):
            continue
        name = path[len("original/") :]
        if not is_dir:
            names.add(name)
        elif not any(other.startswith(f"{path}/") for other in paths):
            names.add(f"{name}/")
    return names


async def workspace_names(api: Any, workflow: str) -> set[str]:
    status, listing = await api(
        "GET", f"reana/connections/{REANA}/workflows/{workflow}/workspace", size="1000"
    )
    assert status == 200, listing
    return {item["name"] for item in listing["items"]}


async def new_workflow(client: Any) -> str:
    name = f"corpus-{uuid.uuid4().hex[:8]}"
    return (await client.create_workflow(name, demo_specification(name)))["workflow_id"]


async def send(
    route: str, case: Case, api: Any, reana: Any, openbis: pybis.Openbis, corpus: Path
) -> tuple[int, dict[str, Any], set[str] | None]:
    """Send the case's selection by `route`: (status, body or finished job, names arrived)."""
    paths = [f"{CORPUS}/{p}" for p in case.selection]
    if route == "openbis-upload":
        body = {
            "connection": CONNECTION,
            "paths": paths,
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        }
        status, reply = await api("POST", "openbis/uploads", body)
        if status != 202:
            return status, reply, None
        job = await wait_for_job(api, reply["id"])
        assert job["state"] == "done", job
        return status, job, dataset_names(openbis, job["result"]["permId"])
    if route == "reana-upload":
        workflow = await new_workflow(reana)
        before = await workspace_names(api, workflow)
        status, reply = await api(
            "POST",
            f"reana/connections/{REANA}/workflows/{workflow}/workspace/upload",
            {"sources": paths, "target": ""},
        )
        if status != 202:
            assert await workspace_names(api, workflow) == before
            return status, reply, None
        job = await wait_for_job(api, reply["id"])
        assert job["state"] == "done", job
        return status, job, await workspace_names(api, workflow) - before
    return await send_as_spec_inputs(route.removeprefix("reana-"), case, api, corpus)


async def send_as_spec_inputs(
    verb: str, case: Case, api: Any, corpus: Path
) -> tuple[int, dict[str, Any], set[str] | None]:
    """`/reana/<verb>` with the selection as inputs.files / inputs.directories of a spec in
    the corpus folder. The spec is only read inside the job, so a refusal is a failed job
    that stopped before the workflow was created; it is reported here as (status of the
    error code's class, job) like the other routes' 4xx."""
    files = [p for p in case.selection if not (corpus / p).is_dir()]
    directories = [p for p in case.selection if (corpus / p).is_dir()]
    (corpus / "reana.yaml").write_text(
        SPEC.format(files=json.dumps(files), directories=json.dumps(directories))
    )
    _, before = await api("GET", f"reana/connections/{REANA}/workflows")
    status, reply = await api(
        "POST", f"reana/{verb}", {"connection": REANA, "path": f"{CORPUS}/reana.yaml"}
    )
    assert status == 202, reply
    job = await wait_for_job(api, reply["id"])
    if job["state"] == "failed":
        assert job["details"].get("failedStep") == "load", job
        _, after = await api("GET", f"reana/connections/{REANA}/workflows")
        assert after["total"] == before["total"], "a refused run created a workflow"
        return (409 if job["errorCode"] == "name_clash" else 400), job, None
    assert job["state"] == "done", job
    names = await workspace_names(api, job["result"]["workflowId"])
    # Every run started from JupyterLab also gets its provenance record beside the inputs.
    assert RECORD in names, names
    return 202, job, names - {"reana.yaml", RECORD}


def message_of(reply: dict[str, Any]) -> str:
    return reply.get("message") or reply.get("error") or ""


def code_of(reply: dict[str, Any]) -> str | None:
    return reply.get("code") or reply.get("errorCode")


def as_spec_input_names(case: Case, names: frozenset[str]) -> set[str]:
    """Spec inputs keep their path below the spec's folder: the selection's parent folder."""
    parent = Path(case.selection[0]).parent.as_posix()
    return {n if parent == "." else f"{parent}/{n}" for n in names}


@pytest.mark.parametrize("route", SEND_ROUTES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_every_route_delivers_exactly_the_selection_or_refuses_before_starting(
    route: str, case: Case, api: Any, connect_reana: Any, openbis: pybis.Openbis, corpus: Path
) -> None:
    reana = await connect_reana()
    if route in SPEC_ROUTES and case.skip_for_inputs:
        pytest.skip("spec inputs keep their paths below the spec's folder: base names never meet")
    # Given the corpus, when the case's selection is sent by this route
    status, reply, arrived = await send(route, case, api, reana, openbis, corpus)
    refusal = case.refused
    if route in FILES_ONLY and case.refused_on_files_only:
        refusal = case.refused_on_files_only
    if refusal is None:
        # Then exactly the selection arrived, links under their own names, empty folders kept
        assert case.arrives is not None
        expected = set(case.arrives)
        if route in SPEC_ROUTES:
            expected = as_spec_input_names(case, case.arrives)
        assert (status, arrived) == (202, expected), reply
        return
    # Or it was refused before anything moved, naming every offending item
    wanted_status, code, named = refusal
    assert (status, code_of(reply)) == (wanted_status, code), reply
    for name in named:
        assert name in message_of(reply), (name, reply)
    assert "outside the root" not in message_of(reply) or code == "link_outside_root"


async def test_openbis_datasets_come_back_with_their_empty_folders(
    api: Any, openbis: pybis.Openbis, corpus: Path, jp_root_dir: Path
) -> None:
    # Given a dataset uploaded from a folder holding an empty folder
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": [f"{CORPUS}/withempty"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        },
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    perm_id = job["result"]["permId"]
    assert "withempty/emptydir/" in dataset_names(openbis, perm_id)
    # When the whole dataset is downloaded
    (jp_root_dir / "whole").mkdir()
    status, job = await api(
        "POST",
        "openbis/downloads",
        {"connection": CONNECTION, "permId": perm_id, "destination": "whole"},
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    # Then the empty folder is there too, and the result names it
    assert job["state"] == "done", job
    assert (jp_root_dir / "whole" / "withempty" / "emptydir").is_dir()
    assert (jp_root_dir / "whole" / "withempty" / "a.txt").read_text() == "a\n"
    assert "withempty/emptydir/" in job["result"]["files"]
    # And the empty folder alone, named as the files route lists it, can be downloaded
    (jp_root_dir / "only").mkdir()
    status, job = await api(
        "POST",
        "openbis/downloads",
        {
            "connection": CONNECTION,
            "permId": perm_id,
            "files": ["original/withempty/emptydir"],
            "destination": "only",
        },
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    only = jp_root_dir / "only"
    arrived = {p.relative_to(only).as_posix() for p in only.rglob("*")}
    assert {a for a in arrived if not a.startswith(".openbis")} == {
        "withempty",
        "withempty/emptydir",
    }


async def test_reana_downloads_keep_workspace_folders_so_one_base_name_never_collides(
    api: Any, connect_reana: Any, corpus: Path, jp_root_dir: Path
) -> None:
    reana = await connect_reana()
    # Given a workspace holding rup/sub1/run.py and rup/sub2/run.py
    workflow = await new_workflow(reana)
    status, job = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/workspace/upload",
        {"sources": [f"{CORPUS}/rup"]},
    )
    assert status == 202, job
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    download = f"reana/connections/{REANA}/workflows/{workflow}/workspace/download"
    for destination, paths in (
        ("files", ["rup/sub1/run.py", "rup/sub2/run.py"]),  # two files, one base name
        ("overlap", ["rup/sub1", "rup/sub2/run.py", "rup/sub1/run.py"]),  # a file twice
    ):
        # When they are downloaded into one folder
        status, job = await api("POST", download, {"paths": paths, "destination": destination})
        assert status == 202, (paths, job)
        assert (await wait_for_job(api, job["id"]))["state"] == "done"
        # Then each file arrives once, under its own workspace path (as reana-client keeps it)
        into = jp_root_dir / destination
        assert sorted(p.relative_to(into).as_posix() for p in into.rglob("*.py")) == [
            "rup/sub1/run.py",
            "rup/sub2/run.py",
        ]
        assert (into / "rup" / "sub1" / "run.py").read_text() == "print('sub1')\n"
        assert (into / "rup" / "sub2" / "run.py").read_text() == "print('sub2')\n"


async def test_a_folder_link_uploaded_to_reana_comes_back_as_a_folder(
    api: Any, connect_reana: Any, corpus: Path, jp_root_dir: Path
) -> None:
    reana = await connect_reana()
    workflow = await new_workflow(reana)
    base = f"reana/connections/{REANA}/workflows/{workflow}/workspace"
    _, job = await api("POST", f"{base}/upload", {"sources": [f"{CORPUS}/rup2"]})
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    _, job = await api("POST", f"{base}/download", {"paths": ["rup2"], "destination": "back"})
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    back = jp_root_dir / "back" / "rup2"
    assert not (back / "linked").is_symlink()
    assert (back / "linked" / "data.txt").read_text() == "1,2,3\n"
    assert (back / "plain.txt").read_text() == "plain\n"


async def test_a_notebook_included_through_a_link_keeps_the_links_name(
    api: Any, openbis: pybis.Openbis, jp_root_dir: Path
) -> None:
    # Given a notebook reached through a link, and a companion file linked out of the root
    (jp_root_dir / "nb").mkdir()
    (jp_root_dir / "nb" / "real.ipynb").write_text("{}")
    (jp_root_dir / "nb" / "analysis.ipynb").symlink_to("real.ipynb")
    (jp_root_dir / "nb" / "data.csv").write_text("x\n")
    body = {
        "connection": CONNECTION,
        "paths": ["nb/data.csv"],
        "includeNotebook": "nb/analysis.ipynb",
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": COLLECTION},
    }
    # When it is included in an upload, it arrives under the link's name
    status, job = await api("POST", "openbis/uploads", body)
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    names = dataset_names(openbis, job["result"]["permId"])
    assert {n.removeprefix("default/") for n in names} == {"data.csv", "analysis.ipynb"}
    # And a companion that links out of the root refuses the upload, naming it
    outside = jp_root_dir.parent / f"outside-{uuid.uuid4().hex[:6]}"
    outside.mkdir()
    (outside / "requirements.txt").write_text("numpy\n")
    (jp_root_dir / "nb" / "requirements.txt").symlink_to(outside / "requirements.txt")
    status, reply = await api("POST", "openbis/uploads", body)
    assert (status, reply["code"]) == (400, "link_outside_root"), reply
    assert "nb/requirements.txt" in reply["message"]


async def test_a_file_changed_while_it_is_sent_fails_the_job(
    api: Any, connect_reana: Any, rol_sandbox: Sandbox, jp_root_dir: Path
) -> None:
    reana = await connect_reana()
    # Given three files, and a REANA that takes a while with each of them
    (jp_root_dir / "grow").mkdir()
    for index in range(3):
        (jp_root_dir / "grow" / f"{index}.txt").write_text("first version\n")
    workflow = await new_workflow(reana)
    rol_sandbox.set_faults(
        "reana", [{"path": r"/workspace$", "http_method": "POST", "latency": 0.5}]
    )
    status, job = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/workspace/upload",
        {"sources": ["grow"]},
    )
    assert status == 202, job
    # When the last file is written to while the first is being sent
    await asyncio.sleep(0.2)
    with (jp_root_dir / "grow" / "2.txt").open("a") as handle:
        handle.write("second version\n")
    # Then the job fails naming it, instead of sending a file nobody selected
    job = await wait_for_job(api, job["id"])
    assert (job["state"], job["errorCode"]) == ("failed", "changed"), job
    assert "grow/2.txt" in job["error"]


async def test_an_openbis_upload_of_a_file_changed_while_sent_registers_nothing(
    api: Any, openbis: pybis.Openbis, rol_sandbox: Sandbox, jp_root_dir: Path
) -> None:
    # Given twelve files, and a data store that answers each upload request slowly
    (jp_root_dir / "many").mkdir()
    for index in range(12):
        (jp_root_dir / "many" / f"{index:02d}.txt").write_text("first version\n")
    before = set(openbis.get_datasets(experiment=COLLECTION, count=500).df["permId"])
    rol_sandbox.set_faults(
        "openbis", [{"path": "session_workspace_file_upload", "latency": 0.5, "times": 100}]
    )
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["many"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        },
    )
    assert status == 202, job
    # When the last file changes while the first ones are on their way
    await asyncio.sleep(0.2)
    (jp_root_dir / "many" / "11.txt").write_text("second version, longer\n")
    # Then the job fails naming it, and no dataset was registered
    job = await wait_for_job(api, job["id"])
    assert (job["state"], job["errorCode"]) == ("failed", "changed"), job
    assert "many/11.txt" in job["error"]
    assert set(openbis.get_datasets(experiment=COLLECTION, count=500).df["permId"]) == before
