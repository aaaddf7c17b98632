"""A run's workspace over the REST API: listing, downloads and uploads as jobs."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import pytest

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab.reana.workspace import STAGING_PREFIX
from reana_openbis_lab_sandbox.reana.seed import demo_specification

from .reana_helpers import add_connection, create_on_server, wait_for_job

FINISHED = "reana/connections/sandbox/workflows/demo-finished.1"


@pytest.fixture
def lab_client(api, rol_sandbox, jp_serverapp):
    """Adds the 'sandbox' connection and returns the lab's own client for it."""

    async def connect() -> ReanaClient:
        status, _ = await add_connection(api, rol_sandbox)
        assert status == 201
        return jp_serverapp.web_app.settings["reana_openbis_lab"].reana.client("sandbox")

    return connect


async def remote_bytes(client: ReanaClient, workflow: str, name: str) -> bytes:
    buffer = io.BytesIO()
    await client.download_file(workflow, name, buffer)
    return buffer.getvalue()


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


async def test_workspace_list_is_paged_and_searched(api, lab_client):
    await lab_client()
    # When the seeded finished run's workspace is listed one file per page
    status, first = await api("GET", f"{FINISHED}/workspace", size="1")
    # Then REANA's total comes back with a page of one
    assert status == 200
    assert first["total"] >= 4 and len(first["items"]) == 1
    entry = first["items"][0]
    assert set(entry) == {"name", "size", "sizeHuman", "lastModified", "retention"}
    # And a search narrows the list down on the server
    _, results = await api("GET", f"{FINISHED}/workspace", search="results")
    assert results["total"] >= 1
    assert all("results" in f["name"] for f in results["items"])


async def test_download_files_and_folders_into_the_root(api, lab_client, jp_root_dir):
    client = await lab_client()
    # When a folder and a file are downloaded into a folder that does not exist yet
    status, job = await api(
        "POST",
        f"{FINISHED}/workspace/download",
        {"paths": ["results", "reana.yaml"], "destination": "runs/finished"},
    )
    assert status == 202 and job["kind"] == "reana-download"
    job = await wait_for_job(api, job["id"])
    # Then the job is done and the files are there, folder name kept, content identical
    assert job["state"] == "done", job
    target = jp_root_dir / "runs" / "finished"
    files = tree(target)
    assert "reana.yaml" in files
    assert any(f.startswith("results/") for f in files)
    for name in files:
        assert (target / name).read_bytes() == await remote_bytes(client, "demo-finished.1", name)
    assert job["filesDone"] == job["filesTotal"] == len(files)
    assert job["bytesDone"] == job["bytesTotal"] == sum((target / f).stat().st_size for f in files)
    assert job["result"]["paths"] == ["runs/finished/reana.yaml", "runs/finished/results"]
    # And no staging folder is left behind
    assert not [p for p in os.listdir(target) if p.startswith(STAGING_PREFIX)]


async def test_an_existing_target_is_a_conflict_unless_overwrite(api, lab_client, jp_root_dir):
    await lab_client()
    (jp_root_dir / "reana.yaml").write_text("mine")
    request = {"paths": ["reana.yaml"], "destination": ""}
    # When a download would replace an existing file
    status, body = await api("POST", f"{FINISHED}/workspace/download", request)
    # Then it is refused before anything moves, and the file is untouched
    assert (status, body["code"]) == (409, "target_exists")
    assert (jp_root_dir / "reana.yaml").read_text() == "mine"
    # When the user asks to overwrite, the file is replaced
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {**request, "overwrite": True}
    )
    assert status == 202
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    assert (jp_root_dir / "reana.yaml").read_text() != "mine"


async def test_a_folder_target_is_replaced_whole_on_overwrite(api, lab_client, jp_root_dir):
    await lab_client()
    (jp_root_dir / "results").mkdir()
    (jp_root_dir / "results" / "stale.txt").write_text("old")
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": ["results"], "overwrite": True}
    )
    assert status == 202
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    assert not (jp_root_dir / "results" / "stale.txt").exists()
    assert tree(jp_root_dir / "results")


async def test_the_whole_workspace_and_unknown_paths(api, lab_client, jp_root_dir):
    await lab_client()
    _, listing = await api("GET", f"{FINISHED}/workspace", size="1000")
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": [""], "destination": "all"}
    )
    assert status == 202
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    assert tree(jp_root_dir / "all") == {f["name"] for f in listing["items"]}
    # A path the workspace does not have is a 404 naming the field
    status, body = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": ["no/such/file.txt"]}
    )
    assert (status, body["field"]) == (404, "paths")


async def test_upload_files_and_folders_streamed_into_a_workspace(api, lab_client, jp_root_dir):
    client = await lab_client()
    name = f"upload-{uuid.uuid4().hex[:8]}"
    workflow = (await create_on_server(client, name, demo_specification(name)))["workflow_id"]
    # Given a folder with a small file and a file of several chunks, and a single file
    (jp_root_dir / "up" / "sub").mkdir(parents=True)
    (jp_root_dir / "up" / "a.txt").write_text("alpha")
    big = os.urandom(2 * 1024 * 1024 + 123)
    (jp_root_dir / "up" / "sub" / "big.bin").write_bytes(big)
    (jp_root_dir / "single.csv").write_text("x,y\n1,2\n")
    # When both are uploaded under inputs/
    status, job = await api(
        "POST",
        f"reana/connections/sandbox/workflows/{workflow}/workspace/upload",
        {"sources": ["up", "single.csv"], "target": "inputs"},
    )
    assert status == 202 and job["kind"] == "reana-upload"
    job = await wait_for_job(api, job["id"])
    # Then the workspace holds them, folder structure kept, bytes identical
    assert job["state"] == "done", job
    assert job["bytesDone"] == job["bytesTotal"] == len(big) + 5 + 8
    _, listing = await api(
        "GET", f"reana/connections/sandbox/workflows/{workflow}/workspace", search="inputs"
    )
    assert {f["name"] for f in listing["items"]} == {
        "inputs/up/a.txt",
        "inputs/up/sub/big.bin",
        "inputs/single.csv",
    }
    assert await remote_bytes(client, workflow, "inputs/up/sub/big.bin") == big


async def test_delete_a_workspace_file(api, lab_client, jp_root_dir):
    client = await lab_client()
    name = f"delete-{uuid.uuid4().hex[:8]}"
    workflow = (await create_on_server(client, name, demo_specification(name)))["workflow_id"]
    (jp_root_dir / "gone.txt").write_text("bye")
    _, job = await api(
        "POST",
        f"reana/connections/sandbox/workflows/{workflow}/workspace/upload",
        {"sources": ["gone.txt"]},
    )
    await wait_for_job(api, job["id"])
    base = f"reana/connections/sandbox/workflows/{workflow}/workspace"
    status, _ = await api("DELETE", f"{base}/files", file="gone.txt")
    assert status == 200
    _, listing = await api("GET", base, search="gone")
    assert listing["total"] == 0
    status, body = await api("DELETE", f"{base}/files", file="../etc")
    assert (status, body["field"]) == (400, "file")


async def test_cancelling_a_download_leaves_nothing(api, lab_client, rol_sandbox, jp_root_dir):
    await lab_client()
    # Given a REANA server that never sends the file
    rol_sandbox.set_faults("reana", [{"path": r"/workspace/reana\.yaml$", "hang": True}])
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": ["reana.yaml"], "destination": "c"}
    )
    assert status == 202
    # When the user cancels the job
    status, _ = await api("POST", f"jobs/{job['id']}/cancel")
    assert status == 202
    # Then it ends cancelled and leaves no file and no staging folder
    assert (await wait_for_job(api, job["id"]))["state"] == "cancelled"
    assert not (jp_root_dir / "c").exists()


async def test_a_file_is_not_a_destination_folder(api, lab_client, jp_root_dir):
    await lab_client()
    (jp_root_dir / "plain.txt").write_text("x")
    status, body = await api(
        "POST",
        f"{FINISHED}/workspace/download",
        {"paths": ["reana.yaml"], "destination": "plain.txt"},
    )
    assert (status, body["field"]) == (400, "destination")


async def test_outputs_keep_their_folders_as_reana_client_does(api, lab_client, jp_root_dir):
    client = await lab_client()
    name = f"outputs-{uuid.uuid4().hex[:8]}"
    workflow = (await create_on_server(client, name, demo_specification(name)))["workflow_id"]
    # Given two outputs of one base name in different folders
    await client.upload_content(workflow, "results/a/greetings.txt", b"from a")
    await client.upload_content(workflow, "results/b/greetings.txt", b"from b")
    base = f"reana/connections/sandbox/workflows/{workflow}/workspace/download"
    request = {
        "paths": ["results/a/greetings.txt", "results/b/greetings.txt"],
        "destination": "out",
    }
    # When both are downloaded into one folder
    status, job = await api("POST", base, request)
    assert status == 202, job
    # Then the job is named after the run (name.number) with a true plural
    assert job["title"] == f"Download 2 files from {name}.1"
    assert job["details"]["run"] == f"{name}.1"
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    # and each lands under its workspace path: neither collides with the other
    assert (jp_root_dir / "out/results/a/greetings.txt").read_text() == "from a"
    assert (jp_root_dir / "out/results/b/greetings.txt").read_text() == "from b"


async def test_a_second_download_asks_then_replaces_or_keeps_both(api, lab_client, jp_root_dir):
    await lab_client()
    request = {"paths": ["results/summary.txt"], "destination": "again"}
    _, first = await api("POST", f"{FINISHED}/workspace/download", request)
    assert (await wait_for_job(api, first["id"]))["state"] == "done"
    target = jp_root_dir / "again/results/summary.txt"
    original = target.read_bytes()
    target.write_text("edited here")
    # When the same output is downloaded into the same folder again
    status, body = await api("POST", f"{FINISHED}/workspace/download", request)
    # Then the server names it, for the question asked in the UI
    assert (status, body["code"]) == (409, "target_exists")
    assert body["message"] == "'results/summary.txt' exists already in 'again'"
    # When the user keeps both, the new copy is placed beside the edited one
    status, job = await api("POST", f"{FINISHED}/workspace/download", {**request, "keepBoth": True})
    assert status == 202
    job = await wait_for_job(api, job["id"])
    assert job["result"]["paths"] == ["again/results/summary (1).txt"]
    assert target.read_text() == "edited here"
    assert (jp_root_dir / "again/results/summary (1).txt").read_bytes() == original
    # When the user replaces it, the edited file is replaced
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {**request, "overwrite": True}
    )
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    assert target.read_bytes() == original
    # Both at once is a question without an answer
    status, body = await api(
        "POST", f"{FINISHED}/workspace/download", {**request, "overwrite": True, "keepBoth": True}
    )
    assert (status, body["field"]) == (400, "keepBoth")


async def test_a_file_where_an_output_needs_its_folder_is_named(api, lab_client, jp_root_dir):
    await lab_client()
    (jp_root_dir / "f").mkdir()
    (jp_root_dir / "f" / "results").write_text("a file, not a folder")
    status, body = await api(
        "POST",
        f"{FINISHED}/workspace/download",
        {"paths": ["results/summary.txt"], "destination": "f", "keepBoth": True},
    )
    assert (status, body["code"]) == (409, "local_in_the_way")
    assert "'f/results' is a file" in body["message"]
