"""Job results and events stay small however many files a job moved (first names and a count)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from reana_openbis_lab.result_lists import MAX_LISTED
from reana_openbis_lab_sandbox.handle import Sandbox
from reana_openbis_lab_sandbox.reana.seed import demo_specification

from .reana.reana_helpers import add_connection, wait_for_job

FILES = 3_000
#: What one finished transfer job may weigh in `GET /jobs`, whatever it moved.
MAX_JOB_BYTES = 20_000


async def test_a_workspace_upload_of_3000_files_lists_the_first_ones_and_counts_all(
    api: Any, rol_sandbox: Sandbox, jp_serverapp: Any, jp_root_dir: Path
) -> None:
    # Given a folder of 3,000 small files
    status, _ = await add_connection(api, rol_sandbox)
    assert status == 201
    client = jp_serverapp.web_app.settings["reana_openbis_lab"].reana.client("sandbox")
    name = f"many-{uuid.uuid4().hex[:8]}"
    workflow = (await client.create_workflow(name, demo_specification(name)))["workflow_id"]
    folder = jp_root_dir / "many"
    folder.mkdir()
    for index in range(FILES):
        (folder / f"file-{index:04d}-with-a-longish-name.txt").write_text(str(index))
    # When it is uploaded to a workspace
    status, job = await api(
        "POST",
        f"reana/connections/sandbox/workflows/{workflow}/workspace/upload",
        {"sources": ["many"]},
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    # Then every file went, and the result names the first ones and counts them all
    assert (job["state"], job["filesDone"]) == ("done", FILES), job
    assert job["result"]["filesCount"] == FILES
    assert len(job["result"]["files"]) == MAX_LISTED
    # And the job list every browser tab polls stays small
    status, jobs = await api("GET", "jobs")
    assert status == 200
    assert len(json.dumps(jobs)) < MAX_JOB_BYTES
