"""Workspace: a glob filter as REANA matches it, a folder downloaded as one zip stream, and
"Download outputs" taking the spec's `outputs.files` and `outputs.directories`."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reana_openbis_lab.errors import UpstreamError
from reana_openbis_lab.reana.workspace import PlannedFile, _unpack

from .reana_helpers import wait_for_job
from .recorded_answers import recorded
from .test_workflows import BASE, create_run, reana  # noqa: F401 (fixture)

FINISHED = f"{BASE}/demo-finished.1"


async def test_a_glob_lists_what_reana_matches(api, reana):  # noqa: F811
    await reana()
    # `*` stays in one folder, `**` crosses them
    _, page = await api("GET", f"{FINISHED}/workspace", glob="results/*")
    assert {f["name"] for f in page["items"]} == {"results/histogram.csv", "results/summary.txt"}
    _, page = await api("GET", f"{FINISHED}/workspace", glob="**/*.csv")
    assert {f["name"] for f in page["items"]} == {"data/events.csv", "results/histogram.csv"}
    _, page = await api("GET", f"{FINISHED}/workspace", glob="*.csv")
    assert page["items"] == [] and page["total"] == 0
    # A folder's name lists what is inside
    _, page = await api("GET", f"{FINISHED}/workspace", glob="code")
    assert [f["name"] for f in page["items"]] == ["code/analyse.py"]
    # A path that climbs out is refused here, naming the field
    status, body = await api("GET", f"{FINISHED}/workspace", glob="../*")
    assert (status, body["field"]) == (400, "glob")


def test_the_real_server_answers_a_folder_with_a_zip_and_a_glob_with_a_listing():
    folder = recorded("reana-0.9.4", "19-ws-get-folder-zip")["response"]
    assert folder["headers"]["Content-Type"] == "application/zip"
    assert "Content-Length" not in folder["headers"]  # streamed
    listing = recorded("reana-0.9.4", "16-ws-list-file-name-glob")
    assert listing["request"]["query"]["file_name"] == ["data/*"]


async def test_a_folder_arrives_as_one_stream(api, rol_sandbox, reana, jp_root_dir: Path):  # noqa: F811
    await reana()
    # Given the files of results/ cannot be fetched one by one (any such request fails)
    rol_sandbox.set_faults(
        "reana", [{"path": r"/workspace/results/[^/]+$", "http_method": "GET", "status": 500}]
    )
    # When the folder is downloaded
    status, job = await api(
        "POST", f"{FINISHED}/workspace/download", {"paths": ["results"], "destination": "got"}
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    # Then it arrived whole, through the one request for the folder
    assert job["state"] == "done", job
    files = sorted(
        p.relative_to(jp_root_dir / "got").as_posix()
        for p in (jp_root_dir / "got").rglob("*")
        if p.is_file()
    )
    assert files == ["results/histogram.csv", "results/summary.txt"]
    assert (
        job["bytesDone"]
        == job["bytesTotal"]
        == sum((jp_root_dir / "got" / f).stat().st_size for f in files)
    )
    assert job["filesDone"] == job["filesTotal"] == 2
    # And no zip or staging folder is left
    assert sorted(p.name for p in (jp_root_dir / "got").iterdir()) == ["results"]


async def test_download_outputs_takes_files_and_folders_of_the_spec(
    api,
    rol_sandbox,
    reana,  # noqa: F811
    jp_root_dir: Path,
):
    await reana()
    # The demo spec's outputs.files, plus a folder as outputs.directories would name it
    _, job = await api(
        "POST",
        f"{FINISHED}/workspace/download",
        {"paths": ["results/summary.txt", "code"], "destination": "outputs"},
    )
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    assert (jp_root_dir / "outputs" / "results" / "summary.txt").is_file()  # paths kept
    assert (jp_root_dir / "outputs" / "code" / "analyse.py").is_file()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def plan(*names: str) -> list[PlannedFile]:
    return [PlannedFile(n, f"out/{n}", 1, "data") for n in names]


def test_only_the_planned_members_are_unpacked(tmp_path: Path):
    archive = tmp_path / "a.zip"
    # A member that climbs out, and one not in the listing, are not written
    archive.write_bytes(zipped({"data/a": b"A", "../evil": b"!", "data/new": b"N"}))
    (tmp_path / "staging").mkdir()
    written = _unpack(archive, tmp_path / "staging", plan("data/a"), None)
    assert written == 1
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [
        "a.zip",
        "staging/out/data/a",
    ]


def test_a_zip_that_lacks_a_listed_file_or_is_no_zip_fails(tmp_path: Path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(zipped({"data/a": b"A"}))
    (tmp_path / "staging").mkdir()
    with pytest.raises(UpstreamError, match="lacks 'data/b'"):
        _unpack(archive, tmp_path / "staging", plan("data/a", "data/b"), None)
    archive.write_bytes(b"<html>a proxy's error page</html>")
    with pytest.raises(UpstreamError, match="not a readable zip"):
        _unpack(archive, tmp_path / "staging", plan("data/a"), None)
