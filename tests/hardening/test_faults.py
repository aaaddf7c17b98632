"""Every fault the sandboxes and this machine can produce, listed in one place (FAULTS), with
where it is tested. Most were already tested next to their feature; the missing ones are
here. Each checks the status and message, that no partial file, dataset or workflow is
left, and that the server still answers afterwards.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import importlib
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.openbis.transfer_fixtures import (  # noqa: F401  (fixtures)
    WORKSPACE_UPLOAD_PATH,
    datasets_of_collection,
    openbis,
    seeded,
)
from tests.reana.test_validate_limits import spec_with_unused_parameters

from .local_disks import full_disk, read_only
from .support import COLLECTION, CONNECTION, FINISHED_RUN, lab_config, wait_for_jobs

T = "tests/"
#: fault -> the test that provokes it (module path::function); `here` means this module.
FAULTS: dict[str, str] = {
    "openBIS 500, 503, HTML, not-JSON and cut answers while browsing": f"{T}openbis/test_failures_sandbox.py::test_openbis_failures_are_502_never_500",
    "openBIS hung while browsing": f"{T}openbis/test_failures_sandbox.py::test_a_hung_openbis_is_a_504_and_the_server_stays_responsive",
    "openBIS failing during login": f"{T}openbis/test_failures_sandbox.py::test_a_failing_login_leaks_the_password_nowhere",
    "openBIS unreachable for the status": f"{T}openbis/test_failures_sandbox.py::test_an_unreachable_or_failing_openbis_is_a_status_not_an_error",
    "pybis thread against a silent server": f"{T}openbis/test_failures_timeouts.py::test_pybis_requests_get_the_calls_deadline",
    "openBIS connection dropped mid-download": f"{T}openbis/test_download_jobs.py::test_a_dropped_connection_fails_cleanly_and_overwrites_nothing",
    "openBIS download cancelled mid-transfer": f"{T}openbis/test_download_jobs.py::test_a_cancelled_download_leaves_nothing",
    "openBIS session expired between transfers": f"{T}openbis/test_download_jobs.py::test_an_expired_session_is_renewed_for_the_transfer",
    "openBIS session expired, no secret held": f"{T}openbis/test_connections_sandbox.py::test_without_a_remembered_secret_an_expired_session_asks_to_log_in_again",
    "openBIS data store 500 mid-upload": f"{T}openbis/test_upload_jobs.py::test_a_failed_transfer_creates_no_dataset",
    "openBIS registration refused": f"{T}openbis/test_upload_jobs.py::test_a_refused_registration_creates_no_dataset",
    "openBIS upload cancelled mid-transfer": f"{T}openbis/test_upload_jobs.py::test_a_cancelled_upload_creates_no_dataset",
    "REANA hung": f"{T}reana/test_reana_failures.py::test_a_hanging_server_times_out_while_jupyter_keeps_answering",
    "REANA 500, 503, 504, HTML and cut answers": f"{T}reana/test_reana_failures.py::test_upstream_failures_are_502_or_504_with_a_clear_message",
    "REANA unreachable": f"{T}reana/test_reana_failures.py::test_an_unreachable_server_is_a_502",
    "REANA connection dropped mid-download": f"{T}reana/test_reana_failures.py::test_a_connection_dropped_during_download_leaves_no_partial_file",
    "REANA 500 on a workspace upload": f"{T}reana/test_reana_failures.py::test_a_failing_upload_names_the_file_and_keeps_the_token_secret",
    "REANA token rejected when added": f"{T}reana/test_connections.py::test_a_rejected_token_is_a_403_and_nothing_is_saved",
    "REANA workspace download cancelled": f"{T}reana/test_workspace.py::test_cancelling_a_download_leaves_nothing",
    "REANA upload failing inside a run": f"{T}reana/test_run.py::test_a_failed_upload_names_the_step_and_what_was_left",
    "worker killed mid-request": f"{T}reana/test_worker.py::test_a_worker_killed_mid_request_answers_with_an_error_and_restarts",
    "worker hung during validation": f"{T}reana/test_validate_limits.py::test_a_spec_that_takes_too_long_answers_504_and_the_next_one_works",
    # new here
    "openBIS connection dropped mid-upload": "here::test_openbis_connection_dropped_mid_upload",
    "openBIS session expired mid-download": "here::test_openbis_session_expired_mid_download",
    "REANA connection dropped mid-upload": "here::test_reana_connection_dropped_mid_upload",
    "REANA hung mid-download": "here::test_reana_hung_mid_download",
    "REANA upload cancelled mid-transfer": "here::test_reana_upload_cancelled_mid_transfer",
    "REANA token rejected on a saved connection": "here::test_reana_token_rejected_on_a_saved_connection",
    "disk full during an openBIS download": "here::test_disk_full_during_an_openbis_download",
    "disk full during a REANA download": "here::test_disk_full_during_a_reana_download",
    "read-only openBIS download destination": "here::test_read_only_openbis_destination",
    "read-only REANA download destination": "here::test_read_only_reana_destination",
    "worker killed mid-validation (route)": "here::test_worker_killed_mid_validation",
}
WORKSPACE = f"reana/connections/{CONNECTION}/workflows/{FINISHED_RUN}/workspace"


@pytest.fixture
def extension_config(rol_sandbox: Any, reana_client_env: Path, monkeypatch: Any) -> dict[str, Any]:
    return {**lab_config(rol_sandbox, reana_client_env, monkeypatch), "reana_timeout": 2.0}


def test_every_listed_fault_has_its_test() -> None:
    assert len(FAULTS) >= 14
    here = importlib.import_module(__name__)
    for fault, where in FAULTS.items():
        path, function = where.split("::")
        module = (
            here
            if path == "here"
            else importlib.import_module(path.removesuffix(".py").replace("/", "."))
        )
        assert callable(getattr(module, function, None)), f"{fault}: {where} does not exist"


async def healthy(api: Any) -> None:
    """The server answers, both connections work, and no job is left running."""
    status, _ = await api("GET", "info")
    assert status == 200
    status, body = await api("GET", f"openbis/connections/{CONNECTION}/spaces", count=1)
    assert status == 200, body
    status, body = await api("GET", f"reana/connections/{CONNECTION}/workflows", size=1)
    assert status == 200, body
    assert all(
        j["state"] in ("done", "failed", "cancelled") for j in (await api("GET", "jobs"))[1]["jobs"]
    )


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


async def one_job(api: Any, method: str, path: str, body: Any) -> dict[str, Any]:
    status, job = await api(method, path, body)
    assert status == 202, job
    jobs = await wait_for_jobs(api, timeout=60)
    return next(j for j in jobs if j["id"] == job["id"])


def upload_body(paths: list[str]) -> dict[str, Any]:
    return {
        "connection": CONNECTION,
        "paths": paths,
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": COLLECTION},
    }


async def test_openbis_connection_dropped_mid_upload(
    api, rol_sandbox, openbis, jp_root_dir: Path
) -> None:
    # Given two files, and a data store that takes the first and drops the connection on the next
    (jp_root_dir / "up").mkdir()
    for name in ("a.bin", "b.bin"):
        (jp_root_dir / "up" / name).write_bytes(os.urandom(200_000))
    before = datasets_of_collection(openbis, COLLECTION)
    rol_sandbox.set_faults(
        "openbis",
        [
            {"path": WORKSPACE_UPLOAD_PATH, "times": 1},
            {"path": WORKSPACE_UPLOAD_PATH, "drop_after_bytes": 0},
        ],
    )
    # When the folder is uploaded
    job = await one_job(api, "POST", "openbis/uploads", upload_body(["up"]))
    rol_sandbox.clear_faults("openbis")
    # Then the job failed naming openBIS, and no dataset was registered
    assert job["state"] == "failed", job
    assert "openBIS" in job["error"] and job["errorCode"] != "internal", job
    assert datasets_of_collection(openbis, COLLECTION) == before
    await healthy(api)


async def test_openbis_session_expired_mid_download(
    api, rol_sandbox, seeded, jp_root_dir: Path
) -> None:
    # Given a download whose first files are slow, and openBIS dropping every session meanwhile
    rol_sandbox.set_faults("openbis", [{"path": "README.txt", "latency": 1.0, "times": 1}])
    status, _ = await api(
        "POST", "openbis/downloads", {"connection": CONNECTION, "permId": seeded.raw_measurement_1}
    )
    assert status == 202
    await asyncio.sleep(0.5)
    rol_sandbox.expire_openbis_sessions()
    jobs = await wait_for_jobs(api)
    # Then the held password renews the session and every file arrives
    assert jobs[0]["state"] == "done", jobs[0]
    await healthy(api)


async def test_an_openbis_data_store_gone_silent_fails_after_the_configured_wait(
    api, rol_sandbox, seeded, jp_root_dir: Path
) -> None:
    # Given openBIS' data store hanging on one file of a download (openbis_timeout is 5 s)
    (jp_root_dir / "hung").mkdir()
    rol_sandbox.set_faults("openbis", [{"path": "README.txt", "hang": True}])
    try:
        status, _ = await api(
            "POST",
            "openbis/downloads",
            {"connection": CONNECTION, "permId": seeded.raw_measurement_1, "destination": "hung"},
        )
        assert status == 202
        # Then the job fails blaming openBIS once the configured wait per chunk has passed
        # (not after a fixed 120 s), and nothing partial is left
        jobs = await wait_for_jobs(api, timeout=60)
    finally:
        rol_sandbox.clear_faults("openbis")
    assert jobs[0]["state"] == "failed", jobs[0]
    assert jobs[0]["errorCode"] == "upstream_timeout", jobs[0]
    assert "openBIS stopped answering" in jobs[0]["error"], jobs[0]
    assert files_in(jp_root_dir / "hung") == []
    await healthy(api)


async def test_reana_connection_dropped_mid_upload(api, rol_sandbox, jp_root_dir: Path) -> None:
    (jp_root_dir / "in.bin").write_bytes(os.urandom(300_000))
    rol_sandbox.set_faults(
        "reana", [{"path": "/workspace$", "http_method": "POST", "drop_after_bytes": 0}]
    )
    job = await one_job(
        api, "POST", f"{WORKSPACE}/upload", {"sources": ["in.bin"], "target": "drop"}
    )
    rol_sandbox.clear_faults("reana")
    # The sandbox drops the connection when it answers, after storing the whole file: the
    # workspace, looked at after the drop, shows it arrived, so the upload is not a failure
    assert job["state"] == "done", job
    _, listing = await api("GET", WORKSPACE, search="drop/")
    assert [item["size"] for item in listing["items"]] == [300_000], listing
    await healthy(api)


async def test_reana_hung_mid_download(api, rol_sandbox, jp_root_dir: Path) -> None:
    rol_sandbox.set_faults("reana", [{"path": r"/workspace/reana\.yaml$", "hang": True}])
    job = await one_job(
        api, "POST", f"{WORKSPACE}/download", {"paths": ["reana.yaml"], "destination": "hung"}
    )
    rol_sandbox.clear_faults("reana")
    assert job["state"] == "failed", job
    assert "did not answer" in job["error"] or "timed out" in job["error"], job
    assert not (jp_root_dir / "hung").exists() or files_in(jp_root_dir / "hung") == []
    await healthy(api)


async def test_reana_upload_cancelled_mid_transfer(api, rol_sandbox, jp_root_dir: Path) -> None:
    (jp_root_dir / "in.bin").write_bytes(os.urandom(100_000))
    rol_sandbox.set_faults("reana", [{"path": "/workspace$", "http_method": "POST", "latency": 30}])
    status, job = await api(
        "POST", f"{WORKSPACE}/upload", {"sources": ["in.bin"], "target": "cancelled"}
    )
    assert status == 202
    await asyncio.sleep(0.3)
    status, _ = await api("POST", f"jobs/{job['id']}/cancel")
    assert status == 202
    jobs = await wait_for_jobs(api)
    rol_sandbox.clear_faults("reana")
    assert jobs[0]["state"] == "cancelled"
    _, listing = await api("GET", WORKSPACE, search="cancelled/")
    assert listing["total"] == 0
    await healthy(api)


async def test_reana_token_rejected_on_a_saved_connection(
    api, rol_sandbox, jp_root_dir: Path
) -> None:
    # Given a connection whose token REANA no longer accepts
    status, _ = await api(
        "POST",
        "reana/connections",
        {"name": "revoked", "url": rol_sandbox.reana_url, "accessToken": "revoked", "check": False},
    )
    assert status == 201
    base = f"reana/connections/revoked/workflows/{FINISHED_RUN}"
    # When it is used to list, and to download
    status, body = await api("GET", "reana/connections/revoked/workflows")
    assert status == 403 and "token" in body["message"].lower(), body
    status, job = await api(
        "POST", f"{base}/workspace/download", {"paths": ["reana.yaml"], "destination": "rev"}
    )
    jobs = await wait_for_jobs(api)
    # Then both are refused as a REANA refusal, and nothing was written
    assert 400 <= status < 500 or jobs[0]["state"] == "failed", (status, job)
    assert not (jp_root_dir / "rev").exists() or files_in(jp_root_dir / "rev") == []
    await healthy(api)


def no_partial(folder: Path, allowed: set[str]) -> None:
    assert set(files_in(folder)) <= allowed, files_in(folder)


async def download_into(api: Any, route: str, body: dict[str, Any]) -> tuple[int, Any]:
    status, reply = await api("POST", route, body)
    if status == 202:
        jobs = await wait_for_jobs(api, timeout=60)
        reply = next(j for j in jobs if j["id"] == reply["id"])
    return status, reply


def local_failure(status: int, reply: dict[str, Any], folder: str) -> None:
    """Refused before the job (4xx) or failed as a local problem naming the folder."""
    if status != 202:
        assert 400 <= status < 500, reply
        return
    assert reply["state"] == "failed", reply
    assert reply["errorCode"] not in (None, "internal"), reply
    assert folder in reply["error"], reply


async def openbis_download(api: Any, perm_id: str, folder: str) -> tuple[int, Any]:
    body = {"connection": CONNECTION, "permId": perm_id, "destination": folder}
    return await download_into(api, "openbis/downloads", body)


async def reana_download(api: Any, folder: str) -> tuple[int, Any]:
    body = {"paths": ["reana.yaml", "code"], "destination": folder}
    return await download_into(api, f"{WORKSPACE}/download", body)


async def test_disk_full_during_an_openbis_download(api, seeded, jp_root_dir: Path) -> None:
    with full_disk(jp_root_dir / "full"):
        before = files_in(jp_root_dir / "full")
        status, reply = await openbis_download(api, seeded.raw_measurement_1, "full")
        assert status != 202 or reply["state"] == "failed", reply
        no_partial(jp_root_dir / "full", set(before))
    await healthy(api)


async def test_disk_full_during_an_openbis_download_is_named(
    api, seeded, jp_root_dir: Path
) -> None:
    with full_disk(jp_root_dir / "full"):
        local_failure(*await openbis_download(api, seeded.raw_measurement_1, "full"), "full")


async def test_disk_full_during_a_reana_download(api, jp_root_dir: Path) -> None:
    with full_disk(jp_root_dir / "full"):
        before = files_in(jp_root_dir / "full")
        status, reply = await reana_download(api, "full")
        assert status != 202 or reply["state"] == "failed", reply
        no_partial(jp_root_dir / "full", set(before))
    await healthy(api)


async def test_disk_full_during_a_reana_download_is_named(api, jp_root_dir: Path) -> None:
    with full_disk(jp_root_dir / "full"):
        local_failure(*await reana_download(api, "full"), "full")


async def test_read_only_openbis_destination(api, seeded, jp_root_dir: Path) -> None:
    with read_only(jp_root_dir / "ro"):
        status, reply = await openbis_download(api, seeded.raw_measurement_1, "ro")
        assert status != 202 or reply["state"] == "failed", reply
        assert files_in(jp_root_dir / "ro") == []
    await healthy(api)


async def test_read_only_openbis_destination_is_named(api, seeded, jp_root_dir: Path) -> None:
    with read_only(jp_root_dir / "ro"):
        local_failure(*await openbis_download(api, seeded.raw_measurement_1, "ro"), "ro")


async def test_read_only_reana_destination(api, jp_root_dir: Path) -> None:
    with read_only(jp_root_dir / "ro"):
        status, reply = await reana_download(api, "ro")
        assert status != 202 or reply["state"] == "failed", reply
        assert files_in(jp_root_dir / "ro") == []
    await healthy(api)


async def test_read_only_reana_destination_is_named(api, jp_root_dir: Path) -> None:
    with read_only(jp_root_dir / "ro"):
        local_failure(*await reana_download(api, "ro"), "ro")


async def test_worker_killed_mid_validation(api, jp_serverapp, jp_root_dir: Path) -> None:
    # Given a warm worker and a spec reana-client needs seconds for
    (jp_root_dir / "slow.yaml").write_text(spec_with_unused_parameters(6_000))
    (jp_root_dir / "small.yaml").write_text(spec_with_unused_parameters(1))
    status, _ = await api("POST", "reana/validate", {"path": "small.yaml"})
    assert status == 200
    worker = jp_serverapp.web_app.settings["reana_openbis_lab"].reana_worker
    first = worker.pid
    # When the worker is killed while it validates
    pending = asyncio.ensure_future(api("POST", "reana/validate", {"path": "slow.yaml"}))
    while not worker._lock.locked():  # the request reached the worker
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    os.kill(first, signal.SIGKILL)
    status, body = await pending
    # Then the answer says the helper died (a 502, not a 500), and a new one validates
    assert status == 502 and body["code"] == "worker_died", body
    status, body = await api("POST", "reana/validate", {"path": "small.yaml"})
    assert status == 200 and body["verdict"] == "valid-with-warnings"
    assert worker.pid not in (None, first)
    await healthy(api)
