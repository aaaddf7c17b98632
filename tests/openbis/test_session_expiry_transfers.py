"""An openBIS session that expires in the middle of a download or an upload.

With the password held, the transfer renews the session the way browsing does and succeeds;
without a held secret it fails with `login_required` and the connection shows `expired`.
The sandbox holds every data store request back for a moment, and its expire knob drops all
sessions while those requests wait, so they arrive with a token openBIS no longer knows.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pybis
import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from ..reana.reana_helpers import wait_for_job
from .openbis_core_fixtures import BASE, CONNECTION, connect
from .transfer_fixtures import FILE_DOWNLOAD_PATH, WORKSPACE_UPLOAD_PATH

COLLECTION = "/LAB_A/MICROSCOPY/IMAGING_2024"
#: Seconds every data store request waits before the sandbox serves it.
HELD_BACK = 0.8
#: When the sessions are dropped: while the first requests are held back.
EXPIRE_AFTER = 0.3


def fresh_pybis(sandbox: Sandbox) -> pybis.Openbis:
    """A session of the test's own, opened after the expiry (earlier ones are gone too)."""
    client = pybis.Openbis(
        sandbox.openbis_url,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    client.login("alice", sandbox.openbis_users["alice"], save_token=False)
    return client


def dataset_perm_id(client: pybis.Openbis, name: str) -> str:
    frame = client.get_datasets(count=500, props=["$NAME"]).df
    return dict(zip(frame["$NAME"], frame["permId"], strict=True))[name]


async def expire_midway(sandbox: Sandbox) -> None:
    await asyncio.sleep(EXPIRE_AFTER)
    assert sandbox.expire_openbis_sessions()["expired"] >= 1


async def connection_status(api: Any) -> str:
    status, info = await api("GET", BASE)
    assert status == 200, info
    return info["status"]


@pytest.mark.parametrize("remember", [True, False], ids=["password-held", "nothing-held"])
async def test_a_download_survives_the_session_expiring_midway(
    api: Any, rol_sandbox: Sandbox, jp_root_dir: Path, remember: bool
) -> None:
    # Given alice connected (her password held or not), and a dataset of several files
    await connect(api, rol_sandbox, password=rol_sandbox.openbis_users["alice"], remember=remember)
    client = fresh_pybis(rol_sandbox)
    perm_id = dataset_perm_id(client, "Raw measurement 1")
    client.logout()
    rol_sandbox.set_faults(
        "openbis", [{"path": FILE_DOWNLOAD_PATH, "http_method": "GET", "latency": HELD_BACK}]
    )
    # When openBIS drops every session while the files are on their way
    status, job = await api(
        "POST",
        "openbis/downloads",
        {"connection": CONNECTION, "permId": perm_id, "destination": ""},
    )
    assert status == 202, job
    await expire_midway(rol_sandbox)
    job = await wait_for_job(api, job["id"])
    if remember:
        # Then the session was renewed with the held password and every file arrived
        assert job["state"] == "done", job
        assert (jp_root_dir / "data" / "measurement.csv").is_file()
        assert await connection_status(api) == "connected"
    else:
        # Then it asks to log in again, leaves nothing behind, and the connection says expired
        assert (job["state"], job["errorCode"]) == ("failed", "login_required"), job
        assert "log in again" in job["error"]
        assert [p.name for p in jp_root_dir.iterdir()] == []
        assert await connection_status(api) == "expired"


@pytest.mark.parametrize("remember", [True, False], ids=["password-held", "nothing-held"])
async def test_an_upload_survives_the_session_expiring_midway(
    api: Any, rol_sandbox: Sandbox, jp_root_dir: Path, remember: bool
) -> None:
    # Given alice connected (her password held or not), and a folder of a few files
    await connect(api, rol_sandbox, password=rol_sandbox.openbis_users["alice"], remember=remember)
    (jp_root_dir / "results").mkdir()
    contents = {f"results/{i}.txt": f"result {i}\n" for i in range(3)}
    for name, text in contents.items():
        (jp_root_dir / name).write_text(text)
    rol_sandbox.set_faults("openbis", [{"path": WORKSPACE_UPLOAD_PATH, "latency": HELD_BACK}])
    # When openBIS drops every session while the files are on their way
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["results"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        },
    )
    assert status == 202, job
    await expire_midway(rol_sandbox)
    job = await wait_for_job(api, job["id"])
    if remember:
        # Then the upload started again under the renewed session and the dataset holds it all
        assert job["state"] == "done", job
        assert (job["filesDone"], job["bytesDone"]) == (3, job["bytesTotal"]), job
        client = fresh_pybis(rol_sandbox)
        files = client.get_dataset(job["result"]["permId"]).get_dataset_files().df
        listed = {p for p, d in zip(files["path"], files["directory"], strict=True) if not d}
        client.logout()
        assert listed == {f"original/{name}" for name in contents}
        assert await connection_status(api) == "connected"
    else:
        # Then it asks to log in again, and the connection says expired
        assert (job["state"], job["errorCode"]) == ("failed", "login_required"), job
        assert await connection_status(api) == "expired"


async def test_an_upload_whose_session_expires_before_registration_is_sent_again(
    api: Any, rol_sandbox: Sandbox, jp_root_dir: Path
) -> None:
    # Given alice connected with her password held, and a data store slow to register datasets
    await connect(api, rol_sandbox)
    (jp_root_dir / "late.txt").write_text("registered late\n")
    rol_sandbox.set_faults(
        "openbis", [{"rpc_method": "createUploadedDataSet", "latency": HELD_BACK, "times": 1}]
    )
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["late.txt"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        },
    )
    assert status == 202, job
    # When every session is dropped once the bytes are in the session workspace
    while (await api("GET", f"jobs/{job['id']}"))[1]["step"] != "registering":
        await asyncio.sleep(0.02)
    rol_sandbox.expire_openbis_sessions()
    # Then the bytes went again under the renewed session, and the dataset was registered
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    assert (job["filesDone"], job["bytesDone"]) == (1, len("registered late\n")), job
    client = fresh_pybis(rol_sandbox)
    files = client.get_dataset(job["result"]["permId"]).get_dataset_files().df
    client.logout()
    assert "original/late.txt" in set(files["path"])
