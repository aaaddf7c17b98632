"""A REANA workspace download into a folder the Jupyter server cannot write is refused
before the job, blaming the local folder (issue 8 §7), on real read-only and tiny tmpfs."""

from __future__ import annotations

from pathlib import Path

from tests.local_mounts import entries, fill_leaving, tmpfs

from .reana_helpers import add_connection, wait_for_job

DOWNLOAD = "reana/connections/sandbox/workflows/demo-finished.1/workspace/download"


async def test_a_read_only_destination_is_a_local_409_before_the_job(
    api, rol_sandbox, jp_root_dir: Path
) -> None:
    await add_connection(api, rol_sandbox)
    with tmpfs(jp_root_dir / "ro", read_only=True):
        for destination in ("ro", "ro/new/deeper"):
            # When downloading into it, or into folders still to be made below it
            status, body = await api(
                "POST", DOWNLOAD, {"paths": ["reana.yaml"], "destination": destination}
            )
            # Then the local folder is named as the reason, and no job started
            assert (status, body["code"], body["field"]) == (
                409,
                "local_read_only",
                "destination",
            ), body
            assert "'ro'" in body["message"]
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_a_full_destination_is_a_local_409_before_the_job(
    api, rol_sandbox, jp_root_dir: Path
) -> None:
    await add_connection(api, rol_sandbox)
    with tmpfs(jp_root_dir / "full", size="64k") as folder:
        fill_leaving(folder, 0)
        # When downloading the whole workspace there
        status, body = await api("POST", DOWNLOAD, {"paths": [""], "destination": "full"})
        left = entries(folder)
    # Then the disk is named as the reason, before any job or byte
    assert (status, body["code"]) == (409, "local_disk_full"), body
    assert left == {"filler.bin"}
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_a_disk_filling_up_during_the_download_fails_the_job_as_local(
    api, rol_sandbox, jp_root_dir: Path
) -> None:
    await add_connection(api, rol_sandbox)
    _, listing = await api(
        "GET", "reana/connections/sandbox/workflows/demo-finished.1/workspace", size="1000"
    )
    needed = sum(item["size"] for item in listing["items"])
    # Given a disk with room for the workspace's bytes, but not for its files' pages
    with tmpfs(jp_root_dir / "small", size="1m") as folder:
        fill_leaving(folder, needed)
        # When the whole workspace is downloaded there
        status, job = await api("POST", DOWNLOAD, {"paths": [""], "destination": "small"})
        assert status == 202, job
        job = await wait_for_job(api, job["id"])
        left = entries(folder)
    # Then the job failed blaming the local disk by the folder's name, and left nothing
    assert (job["state"], job["errorCode"]) == ("failed", "local_disk_full"), job
    assert "'small'" in job["error"]
    assert left == {"filler.bin"}
