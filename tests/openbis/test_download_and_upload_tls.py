"""Transfers over HTTPS: the connection's certificate choice reaches the direct data store requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pybis
import pytest

from reana_openbis_lab.jobs import JobManager

CONNECTION = "tls-lab"


@pytest.fixture
def extension_config(rol_sandbox_tls: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A self-signed sandbox, and a connection whose user chose not to verify certificates."""
    monkeypatch.setenv("TLS_OPENBIS_PASSWORD", rol_sandbox_tls.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": CONNECTION,
                "url": rol_sandbox_tls.openbis_url,
                "verify_certificates": False,
                "username": "alice",
                "password_env": "TLS_OPENBIS_PASSWORD",
            }
        ]
    }


@pytest.fixture
def openbis_tls(rol_sandbox_tls: Any) -> pybis.Openbis:
    client = pybis.Openbis(rol_sandbox_tls.openbis_url, verify_certificates=False)
    client.login("alice", rol_sandbox_tls.openbis_users["alice"], save_token=False)
    return client


async def test_a_download_and_an_upload_work_over_https(
    api, jp_serverapp: Any, openbis_tls: pybis.Openbis, jp_root_dir: Path
) -> None:
    jobs: JobManager = jp_serverapp.web_app.settings["reana_openbis_lab"].jobs
    frame = openbis_tls.get_datasets(count=500, props=["$NAME"]).df
    perm_id = frame.loc[frame["$NAME"] == "Raw measurement 1", "permId"].iloc[0]
    # When a dataset is downloaded over HTTPS
    status, job = await api(
        "POST", "openbis/downloads", {"connection": CONNECTION, "permId": perm_id}
    )
    assert status == 202
    done = await jobs.wait(job["id"])
    # Then it arrived
    assert done.state.value == "done", done.error
    assert (jp_root_dir / "README.txt").read_text() == "Raw measurement 1\n"
    # When one of its files goes back up as a new dataset
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["README.txt"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": "/LAB_A/MICROSCOPY/IMAGING_2024"},
            "parents": [perm_id],
        },
    )
    assert status == 202
    done = await jobs.wait(job["id"])
    # Then openBIS has it, linked to its parent
    assert done.state.value == "done", done.error
    assert openbis_tls.get_dataset(done.result["permId"]).parents == [perm_id]
