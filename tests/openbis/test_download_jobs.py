"""Download jobs against the sandbox: real pybis in the extension, real pybis to compare with."""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pybis
import pytest

from reana_openbis_lab.jobs import JobManager
from reana_openbis_lab.openbis.atomic import STAGING_PREFIX

from .transfer_fixtures import (  # noqa: F401  (fixtures)
    CONNECTION,
    FILE_DOWNLOAD_PATH,
    Seeded,
    counting,
    extension_config,
    finished,
    get_manifest,
    jobs,
    openbis,
    seeded,
)

RAW_1_FILES = {
    "README.txt",
    "data/empty.log",
    "data/frames/frame_0000.bin",
    "data/measurement.csv",
    "metadata/params.json",
    "notes/résumé notes.txt",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".openbis" not in p.relative_to(folder).parts
    }


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(STAGING_PREFIX)]


def pybis_copy(openbis: pybis.Openbis, perm_id: str, where: Path) -> dict[str, bytes]:
    """What pybis itself downloads for the dataset (fast download, `original/` stripped)."""
    openbis.get_dataset(perm_id).download(destination=str(where), create_default_folders=False)
    return tree(where)


async def start(api: Any, **body: Any) -> tuple[int, Any]:
    return await api("POST", "openbis/downloads", {"connection": CONNECTION, **body})


async def test_a_whole_dataset_arrives_like_pybis_downloads_it(
    api, jobs: JobManager, openbis: pybis.Openbis, seeded: Seeded, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given an analysis folder in the Jupyter root
    (jp_root_dir / "analysis").mkdir()
    # When the whole dataset is downloaded into it
    status, job = await start(api, permId=seeded.raw_measurement_1, destination="analysis")
    assert status == 202
    assert job["kind"] == "openbis-download"
    # And it names the dataset as openBIS users know it, not only by permId
    assert job["details"]["datasetType"] == "RAW_DATA"
    assert job["details"]["name"]
    done = await finished(jobs, job["id"])
    # Then the job is done and counted every byte and file
    assert done.state.value == "done", done.error
    assert done.bytes_done == done.bytes_total > 0
    assert done.files_done == done.files_total == len(RAW_1_FILES)
    assert sorted(done.result["files"]) == sorted(RAW_1_FILES)
    # And the files are exactly what pybis downloads, with nothing else left behind
    downloaded = tree(jp_root_dir / "analysis")
    assert downloaded == pybis_copy(openbis, seeded.raw_measurement_1, tmp_path / "pybis")
    assert set(downloaded) == RAW_1_FILES
    assert leftovers(jp_root_dir) == []


async def test_a_download_is_recorded_in_the_folder_manifest(
    api, jp_fetch, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    # Given two datasets downloaded into one folder
    (jp_root_dir / "work").mkdir()
    for perm_id in (seeded.raw_measurement_1, seeded.raw_measurement_2):
        _, job = await start(api, permId=perm_id, destination="work", overwrite=True)
        assert (await finished(jobs, job["id"])).state.value == "done"
    # When the upload form asks for the folder's manifest
    status, manifest = await get_manifest(jp_fetch, "work")
    # Then both datasets are there with their server, type, name and files
    assert status == 200
    assert manifest["path"] == "work"
    by_perm_id = {e["permId"]: e for e in manifest["datasets"]}
    assert set(by_perm_id) == {seeded.raw_measurement_1, seeded.raw_measurement_2}
    entry = by_perm_id[seeded.raw_measurement_1]
    assert entry["url"] == rol_sandbox.openbis_url
    assert entry["connection"] == CONNECTION
    assert entry["type"] == "RAW_DATA"
    # (the upload form names a proposed parent as people know it, not by its permId)
    assert entry["name"] == "Raw measurement 1"
    assert "data/measurement.csv" in entry["files"]
    assert entry["downloaded"]
    # And a folder without downloads has an empty manifest
    status, empty = await get_manifest(jp_fetch, "")
    assert (status, empty["datasets"]) == (200, [])


async def test_a_dataset_folder_is_made_inside_the_destination(
    api, jp_fetch, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a user's own README.txt in the analysis folder
    (jp_root_dir / "analysis").mkdir()
    (jp_root_dir / "analysis" / "README.txt").write_text("mine")
    # When the dataset is downloaded into its own folder there (as the UI asks)
    folder = seeded.raw_measurement_1
    status, job = await start(api, permId=folder, destination="analysis", folder=folder)
    assert status == 202
    done = await finished(jobs, job["id"])
    # Then its files land in that folder, the user's file is untouched, and the job
    # points at the dataset's folder (what "Show in file browser" opens)
    assert done.state.value == "done", done.error
    assert set(tree(jp_root_dir / "analysis" / folder)) == RAW_1_FILES
    assert (jp_root_dir / "analysis" / "README.txt").read_text() == "mine"
    assert done.result["destination"] == f"analysis/{folder}"
    # And the analysis folder's manifest lists it, so results uploaded from there get it
    # proposed as a parent
    _, manifest = await get_manifest(jp_fetch, "analysis")
    (entry,) = manifest["datasets"]
    assert f"{folder}/data/measurement.csv" in entry["files"]
    # When downloading again, the refusal names the dataset's folder in plain words
    status, body = await start(api, permId=folder, destination="analysis", folder=folder)
    assert (status, body["code"]) == (409, "target_exists")
    assert body["message"].startswith(f"The folder '{folder}' already has ")


@pytest.mark.parametrize("folder", ["..", "a/b", ".", "x" * 256, 7])
async def test_a_folder_that_is_not_one_plain_name_is_refused(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, folder: Any
) -> None:
    status, body = await start(api, permId=seeded.raw_measurement_1, folder=folder)
    assert (status, body["field"]) == (400, "folder")
    assert jobs.list("openbis-download") == []
    assert leftovers(jp_root_dir) == []


async def test_a_subset_is_chosen_by_file_or_folder(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given the root as destination
    # When one folder (as openBIS names it) and one file (as it is stored locally) are asked for
    status, job = await start(
        api, permId=seeded.raw_measurement_1, files=["original/data/frames", "README.txt"]
    )
    assert status == 202
    done = await finished(jobs, job["id"])
    # Then only those arrive
    assert done.state.value == "done", done.error
    assert set(tree(jp_root_dir)) == {"README.txt", "data/frames/frame_0000.bin"}
    assert done.files_total == 2


async def test_an_existing_file_is_a_conflict_unless_overwrite_is_asked(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a file where the download would put one
    (jp_root_dir / "README.txt").write_text("mine")
    # When downloading without overwrite
    status, body = await start(api, permId=seeded.raw_measurement_1)
    # Then it is refused before any job starts, naming the file with the code the UI asks
    # "Replace?" for, in words shown to users as they are (no API field names), and
    # nothing changed
    assert status == 409
    assert body["message"] == "The top folder already has README.txt."
    assert body["code"] == "target_exists"
    assert (jp_root_dir / "README.txt").read_text() == "mine"
    assert jobs.list("openbis-download") == []
    # When asking again with overwrite
    status, job = await start(api, permId=seeded.raw_measurement_1, overwrite=True)
    done = await finished(jobs, job["id"])
    # Then the file is replaced by the dataset's
    assert done.state.value == "done", done.error
    assert (jp_root_dir / "README.txt").read_text() == "Raw measurement 1\n"


async def test_requests_that_cannot_succeed_are_refused_before_a_job_exists(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    (jp_root_dir / "a-file.txt").write_text("x")
    cases = [
        ({"permId": "20990101000000000-404"}, 404, "permId"),
        ({"permId": seeded.raw_measurement_1, "files": ["original/nope.txt"]}, 400, "files[0]"),
        ({"permId": seeded.raw_measurement_1, "files": []}, 400, "files"),
        ({"permId": seeded.raw_measurement_1, "destination": "missing"}, 400, "destination"),
        ({"permId": seeded.raw_measurement_1, "destination": "a-file.txt"}, 400, "destination"),
        ({"permId": seeded.raw_measurement_1, "overwrite": "yes"}, 400, "overwrite"),
        ({"permId": ""}, 400, "permId"),
        ({"permId": seeded.archived}, 409, "permId"),
    ]
    for body, expected_status, field in cases:
        # When the request is sent
        status, reply = await start(api, **body)
        # Then it is answered with the right status naming the field
        assert (status, reply.get("field")) == (expected_status, field), body
    status, reply = await api("POST", "openbis/downloads", {"connection": "nope", "permId": "x"})
    assert (status, reply["field"]) == (404, "connection")
    assert jobs.list("openbis-download") == []


async def test_a_cancelled_download_leaves_nothing(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    # Given one file of the dataset that the data store never sends, while the others arrive
    rol_sandbox.set_faults("openbis", [{"path": "frame_0000", "hang": True}])
    # When the user cancels once the other files are in
    _, job = await start(api, permId=seeded.raw_measurement_1)
    while jobs.get(job["id"]).files_done < len(RAW_1_FILES) - 1:
        await asyncio.sleep(0.02)
    status, _ = await api("POST", f"jobs/{job['id']}/cancel")
    done = await finished(jobs, job["id"])
    # Then the job is cancelled after having moved bytes, and no file or staging folder is left
    assert status == 202
    assert done.state.value == "cancelled"
    assert done.bytes_done > 0
    assert list(jp_root_dir.iterdir()) == []


async def test_a_dropped_connection_fails_cleanly_and_overwrites_nothing(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    # Given a file the download would replace, and a data store that drops one transfer halfway
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "measurement.csv").write_text("keep me")
    rol_sandbox.set_faults("openbis", [{"path": "measurement.csv", "drop_after_bytes": 100}])
    # When downloading with overwrite
    _, job = await start(api, permId=seeded.raw_measurement_1, overwrite=True)
    done = await finished(jobs, job["id"])
    # Then the job failed with a clear message, and the folder is as before
    assert done.state.value == "failed"
    assert "measurement.csv" in done.error
    assert tree(jp_root_dir) == {"data/measurement.csv": b"keep me"}
    assert leftovers(jp_root_dir) == []


async def test_the_big_dataset_streams_through_with_progress(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    # Given the sandbox's 120 MB dataset, served by the plain file route
    with counting(
        rol_sandbox, files={"path": FILE_DOWNLOAD_PATH, "http_method": "GET"}
    ) as requests:
        # When it is downloaded
        _, job = await start(api, permId=seeded.big_run)
        done = await finished(jobs, job["id"])
        # Then it arrives whole, in one request
        assert done.state.value == "done", done.error
        assert requests.count("files") == 1
    assert done.bytes_done == done.bytes_total == (jp_root_dir / "run" / "reads.bin").stat().st_size
    assert done.bytes_total > 100 * 1024 * 1024


async def test_an_expired_session_is_renewed_for_the_transfer(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, rol_sandbox: Any
) -> None:
    # Given a download that worked, then openBIS dropping every session
    _, job = await start(api, permId=seeded.raw_measurement_2, destination="")
    assert (await finished(jobs, job["id"])).state.value == "done"
    rol_sandbox.expire_openbis_sessions()
    # When the next download starts
    (jp_root_dir / "again").mkdir()
    status, job = await start(api, permId=seeded.raw_measurement_2, destination="again")
    done = await finished(jobs, job["id"])
    # Then the connection logged in again by itself and the files arrived
    assert status == 202
    assert done.state.value == "done", done.error
    assert tree(jp_root_dir / "again") == {
        name: data for name, data in tree(jp_root_dir).items() if not name.startswith("again/")
    }


async def test_the_session_token_in_data_store_urls_never_reaches_the_log(
    api, jobs: JobManager, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    # Given every logger at DEBUG level (urllib3 logs request lines there, URL included)
    caplog.set_level(logging.DEBUG)
    # When a dataset is downloaded (its file URLs carry `sessionID=<token>`)
    _, job = await start(api, permId=seeded.raw_measurement_2, destination="")
    assert (await finished(jobs, job["id"])).state.value == "done"
    # Then no line the server logged, its lab worker's included, holds a token
    lines = [r.getMessage() for r in caplog.records if "sessionID=" in r.getMessage()]
    assert all("sessionID=***" in line for line in lines)


@pytest.mark.parametrize(
    "folder", ["abc%2fdef", "%2e%2e%2foutside", "..\u2215outside", "ab\ncd", "a/b", "..", "x" * 256]
)
async def test_a_folder_name_the_file_system_refuses_is_a_400_naming_folder(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, folder: str
) -> None:
    # Given a dataset that exists, when its folder name is one `destination` would refuse
    status, reply = await start(api, permId=seeded.raw_measurement_1, folder=folder)
    # Then the refusal is local and names `folder` (never "openBIS listed a name..."), before
    # any job, and nothing is written
    assert (status, reply.get("field"), reply.get("code")) == (400, "folder", "invalid_input")
    assert "openBIS" not in reply["message"]
    assert jobs.list("openbis-download") == []
    assert list(jp_root_dir.iterdir()) == []
