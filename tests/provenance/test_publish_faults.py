"""Faults while a run is published: no dataset is registered unless every byte arrived.

A drop or an HTTP 500 on either side mid-stream, a cancel, a rejected REANA token: the job
fails (or is cancelled) and openBIS has no new dataset. An openBIS session that expires
mid-stream is renewed and the file sent again, whole.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pybis
import pytest

from ..reana.reana_helpers import assert_no_token, wait_for_job
from .loop_helpers import REANA, Seeded
from .test_publish import finished_run, publish_body


@pytest.fixture(autouse=True)
def no_faults_left(rol_sandbox: Any):
    yield
    rol_sandbox.clear_faults("openbis")
    rol_sandbox.clear_faults("reana")


@pytest.mark.parametrize(
    ("server", "rule"),
    [
        (
            "reana",
            {"path": "/workspace/results/count.txt$", "http_method": "GET", "drop_after_bytes": 5},
        ),
        ("reana", {"path": "/workspace/results/count.txt$", "http_method": "GET", "status": 500}),
        ("openbis", {"path": "session_workspace_file_upload", "drop_after_bytes": 0}),
        ("openbis", {"path": "session_workspace_file_upload", "status": 500}),
    ],
    ids=["reana-drop", "reana-500", "openbis-drop", "openbis-500"],
)
async def test_a_failure_mid_stream_registers_nothing(
    api,
    jp_root_dir: Path,
    rol_sandbox: Any,
    seeded: Seeded,
    openbis: pybis.Openbis,
    server: str,
    rule: dict[str, Any],
) -> None:
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    before = len(openbis.get_datasets(count=1000).df)
    rol_sandbox.set_faults(server, [rule])
    status, job = await api(
        "POST", f"reana/connections/{REANA}/workflows/{workflow}/publish", publish_body(overview)
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    rol_sandbox.clear_faults(server)
    assert job["state"] == "failed", job
    assert ("REANA" if server == "reana" else "openBIS") in job["error"]
    assert len(openbis.get_datasets(count=1000).df) == before
    _, after = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    assert after["published"] == []


BIG = 25 * 1000 * 1000  # three of the data store's 10 MB slices


def put_big_file(sandbox: Any, workflow: str) -> bytes:
    """A file of BIG bytes in the run's workspace, put there as the run would have made it."""
    data = hashlib.sha256(workflow.encode()).digest() * (BIG // 32) + b"end"
    reply = httpx.post(
        f"{sandbox.reana_url}/api/workflows/{workflow}/workspace",
        params={"file_name": "results/big.bin", "access_token": sandbox.reana_token},
        content=data,
        headers={"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    reply.raise_for_status()
    return data


async def start_big_publication(
    api: Any, root: Path, sandbox: Any, seeded: Seeded
) -> tuple[str, bytes, dict[str, Any]]:
    workflow = await finished_run(api, root, sandbox, seeded)
    data = put_big_file(sandbox, workflow)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    status, job = await api(
        "POST",
        f"reana/connections/{REANA}/workflows/{workflow}/publish",
        publish_body(overview, paths=["results/big.bin"]),
    )
    assert status == 202, job
    return workflow, data, job


async def until_bytes_move(api: Any, job_id: str) -> None:
    while True:
        _, job = await api("GET", f"jobs/{job_id}")
        if (job["step"] or "").startswith("uploading") and job["bytesDone"] > 0:
            return
        assert job["state"] in ("queued", "running"), job
        await asyncio.sleep(0.02)


def published_bytes(openbis: pybis.Openbis, perm_id: str, name: str, into: Path) -> bytes:
    openbis.get_dataset(perm_id).download(
        files=[name], destination=str(into), wait_until_finished=True
    )
    return next(p for p in into.rglob(Path(name).name) if p.is_file()).read_bytes()


async def test_a_file_of_several_slices_arrives_whole(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis, tmp_path: Path
) -> None:
    # The data store takes it in slices, the next one sent while the last awaits its answer
    rol_sandbox.set_faults("openbis", [{"path": "session_workspace_file_upload", "latency": 0.2}])
    _, data, job = await start_big_publication(api, jp_root_dir, rol_sandbox, seeded)
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    name = "original/default/results/big.bin"
    assert published_bytes(openbis, job["result"]["permId"], name, tmp_path) == data


async def test_a_cancel_mid_stream_registers_nothing(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis
) -> None:
    # Given a publication whose slices the data store takes slowly
    rol_sandbox.set_faults("openbis", [{"path": "session_workspace_file_upload", "latency": 0.5}])
    before = len(openbis.get_datasets(count=1000).df)
    workflow, _, job = await start_big_publication(api, jp_root_dir, rol_sandbox, seeded)
    await until_bytes_move(api, job["id"])
    # When
    status, body = await api("POST", f"jobs/{job['id']}/cancel")
    assert status == 202, body
    job = await wait_for_job(api, job["id"])
    # Then
    assert job["state"] == "cancelled", job
    assert len(openbis.get_datasets(count=1000).df) == before
    _, after = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    assert after["published"] == []


async def test_an_openbis_session_expiring_mid_stream_is_renewed_and_the_file_sent_again(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis, tmp_path: Path
) -> None:
    rol_sandbox.set_faults("openbis", [{"path": "session_workspace_file_upload", "latency": 0.3}])
    _, data, job = await start_big_publication(api, jp_root_dir, rol_sandbox, seeded)
    await until_bytes_move(api, job["id"])
    rol_sandbox.expire_openbis_sessions()
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    openbis.login("alice", rol_sandbox.openbis_users["alice"], save_token=False)  # ours too
    name = "original/default/results/big.bin"
    assert published_bytes(openbis, job["result"]["permId"], name, tmp_path) == data


async def test_a_rejected_reana_token_is_said_and_nothing_is_registered(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, openbis: pybis.Openbis
) -> None:
    workflow = await finished_run(api, jp_root_dir, rol_sandbox, seeded)
    _, overview = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}/provenance")
    before = len(openbis.get_datasets(count=1000).df)
    rol_sandbox.set_faults(
        "reana", [{"path": "/workspace/results/count.txt$", "http_method": "GET", "status": 401}]
    )
    status, job = await api(
        "POST", f"reana/connections/{REANA}/workflows/{workflow}/publish", publish_body(overview)
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed", job
    assert job["errorCode"] == "token_rejected", job
    assert "REANA rejected the access token" in job["error"]
    assert_no_token(job, token=rol_sandbox.reana_token)
    rol_sandbox.clear_faults("reana")
    assert len(openbis.get_datasets(count=1000).df) == before
