"""Faults while openBIS inputs stream into a run: nothing half-made on either side.

A drop or an HTTP 500 from the data store or from REANA mid-stream, a cancel, an expired
openBIS session and a rejected REANA token: the job fails (or is cancelled) with a clear
message, the workflow created for the run is deleted again with every staged byte, and no
run is started.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from ..reana.reana_helpers import assert_no_token, wait_for_job
from .loop_helpers import (
    CONNECTION,
    REANA,
    Seeded,
    analysis,
    connected,
    finished_job,
    run_with_inputs,
    workflow_exists,
)

DSS_FILE = r"^/datastore_server/(?!rmi-|session_workspace)"


@pytest.fixture(autouse=True)
def no_faults_left(rol_sandbox: Any):
    yield
    rol_sandbox.clear_faults("openbis")
    rol_sandbox.clear_faults("reana")


async def count_runs(api: Any) -> int:
    status, body = await api("GET", f"reana/connections/{REANA}/workflows")
    assert status == 200, body
    return sum(1 for item in body["items"] if item["status"] != "deleted")


async def assert_nothing_left(api: Any, job: dict[str, Any], runs_before: int) -> None:
    workflow = job["details"].get("workflowId")
    if workflow:
        assert not await workflow_exists(api, workflow)
    assert await count_runs(api) == runs_before


@pytest.mark.parametrize(
    "rule",
    [
        {"path": DSS_FILE, "drop_after_bytes": 100},
        {"path": DSS_FILE, "status": 500},
    ],
    ids=["openbis-drop", "openbis-500"],
)
async def test_an_openbis_failure_mid_stream_leaves_nothing(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded, rule: dict[str, Any]
) -> None:
    # Given a data store that fails on the dataset's files
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    before = await count_runs(api)
    rol_sandbox.set_faults(
        "openbis", [{**rule, "query": "", "path": rule["path"] + ".*measurement"}]
    )
    # When
    job = await finished_job(
        api, path, [{"connection": CONNECTION, "permId": seeded.raw_measurement_1}]
    )
    # Then
    assert job["state"] == "failed", job
    assert job["details"]["failedStep"] == "stage"
    assert "openBIS" in job["error"]
    assert "deleted again" in job["error"]
    assert_no_token(job, token=rol_sandbox.reana_token)
    await assert_nothing_left(api, job, before)


async def test_a_reana_refusal_mid_stream_leaves_nothing(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    before = await count_runs(api)
    rol_sandbox.set_faults(
        "reana",
        [{"path": "/workspace$", "http_method": "POST", "query": "measurement.csv", "status": 500}],
    )
    job = await finished_job(
        api, path, [{"connection": CONNECTION, "permId": seeded.raw_measurement_1}]
    )
    assert job["state"] == "failed", job
    assert job["details"]["failedStep"] == "stage"
    assert "REANA" in job["error"]
    assert "deleted again" in job["error"]
    await assert_nothing_left(api, job, before)


async def test_a_rejected_reana_token_is_said_and_nothing_is_made(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    before = await count_runs(api)
    rol_sandbox.set_faults(
        "reana", [{"path": "^/api/workflows$", "http_method": "POST", "status": 401}]
    )
    job = await finished_job(
        api, path, [{"connection": CONNECTION, "permId": seeded.raw_measurement_1}]
    )
    assert job["state"] == "failed", job
    assert job["errorCode"] == "token_rejected"
    assert "REANA rejected the access token" in job["error"]
    rol_sandbox.clear_faults("reana")
    await assert_nothing_left(api, job, before)


async def test_an_openbis_session_expiring_mid_run_is_renewed(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    # Given the extension's session is ended by openBIS after the inputs were looked up
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    rol_sandbox.set_faults(
        "reana", [{"path": "^/api/workflows$", "http_method": "POST", "latency": 0.5}]
    )
    status, job = await run_with_inputs(
        api, path, [{"connection": CONNECTION, "permId": seeded.raw_measurement_1}]
    )
    assert status == 202, job
    rol_sandbox.expire_openbis_sessions()
    # Then the connection logs in again with the secret it holds and the run goes ahead
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job


async def test_a_cancel_mid_stream_deletes_what_was_staged(
    api, jp_root_dir: Path, rol_sandbox: Any, seeded: Seeded
) -> None:
    # Given a big dataset streaming slowly
    await connected(api, rol_sandbox)
    path = analysis(jp_root_dir)
    before = await count_runs(api)
    status, job = await run_with_inputs(
        api, path, [{"connection": CONNECTION, "permId": seeded.big_run}]
    )
    assert status == 202, job
    while True:
        _, current = await api("GET", f"jobs/{job['id']}")
        if (current["step"] or "").startswith("staging") and current["bytesDone"] > 0:
            break
        assert current["state"] in ("queued", "running"), current
        await asyncio.sleep(0.02)
    # When
    status, _ = await api("POST", f"jobs/{job['id']}/cancel")
    job = await wait_for_job(api, job["id"])
    # Then
    assert job["state"] == "cancelled", job
    assert "deleted again" in job["details"]["state"]
    await assert_nothing_left(api, job, before)
