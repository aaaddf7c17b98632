"""The download manifest is confined like a user's path, and local disk faults blame the disk.

Issue 8 §4: a `.openbis` (or `datasets.json`) that links out of the root must neither be
written by a download nor read by the manifest route. §7: a destination the Jupyter
server cannot write (read-only, full) is refused before the job with a `local_*` code
naming the folder, and a disk that fills up during the job fails it with
`local_disk_full`, never as `internal` or as openBIS' fault. Real read-only and tiny
tmpfs mounts stand for the disk (skipped where mounting is not permitted).
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.jobs import JobManager
from tests.local_mounts import entries, fill_leaving, tmpfs

from .transfer_fixtures import (  # noqa: F401  (fixtures)
    CONNECTION,
    Seeded,
    extension_config,
    finished,
    get_manifest,
    jobs,
    openbis,
    seeded,
)


@pytest.fixture
def sentinel(jp_root_dir: Path) -> Path:
    """A folder outside the root that links from inside point to."""
    outside = jp_root_dir.parent / "outside-sentinel"
    outside.mkdir()
    (outside / "datasets.json").write_text('{"version": 1, "datasets": [{"permId": "SECRET"}]}')
    return outside


async def start(api: Any, **body: Any) -> tuple[int, Any]:
    return await api("POST", "openbis/downloads", {"connection": CONNECTION, **body})


async def test_a_manifest_folder_linking_outside_is_refused_and_nothing_is_written(
    api, jp_fetch, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, sentinel: Path
) -> None:
    # Given a destination whose `.openbis` is a link to a folder outside the root
    (jp_root_dir / "work").mkdir()
    os.symlink(sentinel, jp_root_dir / "work" / ".openbis")
    before = {p: p.read_bytes() for p in sentinel.iterdir()}
    # When a dataset is downloaded into it
    status, body = await start(api, permId=seeded.raw_measurement_1, destination="work")
    # Then it is refused before any job, naming the destination, and nothing changed anywhere
    assert (status, body["field"], body["code"]) == (400, "destination", "outside_root"), body
    assert jobs.list("openbis-download") == []
    assert {p: p.read_bytes() for p in sentinel.iterdir()} == before
    assert entries(jp_root_dir / "work") == {".openbis"}
    # And the manifest route does not read the file out there either
    status, body = await get_manifest(jp_fetch, "work")
    assert (status, body["field"], body["code"]) == (400, "path", "outside_root"), body
    assert "SECRET" not in str(body)


async def test_a_manifest_file_linking_outside_is_refused(
    api, jp_fetch, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, sentinel: Path
) -> None:
    # Given `.openbis/datasets.json` itself linking to a file outside the root
    (jp_root_dir / ".openbis").mkdir()
    os.symlink(sentinel / "datasets.json", jp_root_dir / ".openbis" / "datasets.json")
    # When downloading into the root, or reading its manifest
    status, body = await start(api, permId=seeded.raw_measurement_1)
    manifest_status, manifest = await get_manifest(jp_fetch, "")
    # Then both are refused, and the outside file is unchanged and unread
    assert (status, body["code"]) == (400, "outside_root"), body
    assert (manifest_status, manifest["code"]) == (400, "outside_root"), manifest
    assert "SECRET" not in str(manifest)
    assert jobs.list("openbis-download") == []
    assert "SECRET" in (sentinel / "datasets.json").read_text()


async def test_a_file_in_the_way_of_the_manifest_is_a_local_conflict(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a plain file named `.openbis` in the destination
    (jp_root_dir / ".openbis").write_text("mine")
    # When downloading there
    status, body = await start(api, permId=seeded.raw_measurement_1)
    # Then the request is refused as a local problem naming it, before any job
    assert (status, body["code"], body["field"]) == (409, "local_in_the_way", "destination")
    assert ".openbis" in body["message"]
    assert jobs.list("openbis-download") == []
    assert (jp_root_dir / ".openbis").read_text() == "mine"


async def test_a_link_planted_during_the_job_is_not_followed(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, sentinel: Path, rol_sandbox: Any
) -> None:
    # Given a download accepted while the data store is slow to send one file
    rol_sandbox.set_faults("openbis", [{"path": "frame_0000", "latency": 2.0, "times": 1}])
    status, job = await start(api, permId=seeded.raw_measurement_1)
    assert status == 202, job
    # When a `.openbis` link out of the root appears meanwhile
    os.symlink(sentinel, jp_root_dir / ".openbis")
    before = {p: p.read_bytes() for p in sentinel.iterdir()}
    done = await finished(jobs, job["id"])
    # Then the job fails without writing outside, and the placed files are taken back
    assert done.state.value == "failed"
    assert done.error_code == "outside_root", done.error
    assert {p: p.read_bytes() for p in sentinel.iterdir()} == before
    assert entries(jp_root_dir) == {".openbis"}


async def test_a_read_only_destination_is_refused_before_the_job(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a destination on a read-only file system (as the extension's own sshfs mount is)
    with tmpfs(jp_root_dir / "readonly", read_only=True):
        # When a dataset is downloaded into it
        status, body = await start(api, permId=seeded.raw_measurement_1, destination="readonly")
    # Then the answer blames the local folder, by name, before a job exists
    assert (status, body["code"], body["field"]) == (409, "local_read_only", "destination"), body
    assert "'readonly'" in body["message"] and "read-only" in body["message"]
    assert jobs.list("openbis-download") == []


async def test_a_destination_without_room_is_refused_before_the_job(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a 1 MB disk and a dataset of 120 MB
    with tmpfs(jp_root_dir / "small", size="1m"):
        # When it is downloaded there
        status, body = await start(api, permId=seeded.big_run, destination="small")
        left = entries(jp_root_dir / "small")
    # Then the disk is named as the reason, before any byte moved
    assert (status, body["code"], body["field"]) == (409, "local_disk_full", "destination"), body
    assert "'small'" in body["message"]
    assert jobs.list("openbis-download") == []
    assert left == set()


async def test_a_disk_that_fills_up_during_the_download_fails_the_job_as_local(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path
) -> None:
    # Given a tiny disk with room for the dataset's bytes, but not for its files' pages
    with tmpfs(jp_root_dir / "small", size="1m") as small:
        _, files = await api(
            "GET", f"openbis/connections/{CONNECTION}/datasets/{seeded.raw_measurement_1}/files"
        )
        fill_leaving(small, files["totalSize"])
        # When the dataset is downloaded there
        status, job = await start(api, permId=seeded.raw_measurement_1, destination="small")
        assert status == 202, job
        done = await finished(jobs, job["id"])
        left = entries(small)
    # Then the job failed blaming the local disk, naming the folder, and left nothing behind
    assert done.state.value == "failed"
    assert done.error_code == "local_disk_full", done.error
    assert "'small'" in (done.error or "") and "openBIS" not in (done.error or "")
    assert left == {"filler.bin"}


async def test_a_folder_link_planted_during_the_job_does_not_redirect_the_files(
    api, jobs: JobManager, seeded: Seeded, jp_root_dir: Path, sentinel: Path, rol_sandbox: Any
) -> None:
    # Given a download accepted while the data store is slow to send one file
    rol_sandbox.set_faults("openbis", [{"path": "frame_0000", "latency": 2.0, "times": 1}])
    status, job = await start(api, permId=seeded.raw_measurement_1)
    assert status == 202, job
    # When the dataset's `data` folder appears meanwhile as a link out of the root
    os.symlink(sentinel, jp_root_dir / "data")
    before = entries(sentinel)
    done = await finished(jobs, job["id"])
    # Then the job fails and no file was placed through the link
    assert (done.state.value, done.error_code) == ("failed", "outside_root"), done.error
    assert entries(sentinel) == before
    assert entries(jp_root_dir) == {"data"}
