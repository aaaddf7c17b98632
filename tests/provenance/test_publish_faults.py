"""Faults while a run is published: no dataset is registered unless every byte arrived."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pybis
import pytest

from ..reana.reana_helpers import wait_for_job
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
