"""Every path a transfer route takes is confined: hostile payloads get a 4xx and touch nothing.

For each route the outside directory is snapshotted before and after, and the sandbox
counts the data store requests, to prove that no byte was read or written outside the
root and that nothing reached openBIS.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.jobs import JobManager
from reana_openbis_lab.paths import MAX_DEPTH
from tests.hostile_paths import HOSTILE_PATHS, plant_escape_symlinks, snapshot

from .transfer_fixtures import (  # noqa: F401  (fixtures)
    CONNECTION,
    FILE_DOWNLOAD_PATH,
    WORKSPACE_UPLOAD_PATH,
    Seeded,
    counting,
    extension_config,
    get_manifest,
    jobs,
    openbis,
    seeded,
)

Send = Callable[[str], Awaitable[tuple[int, Any]]]


@pytest.fixture
def outside(jp_root_dir: Path) -> Path:
    """A directory next to the root with a secret in it, and links pointing there from inside."""
    directory = jp_root_dir.parent / "outside"
    plant_escape_symlinks(jp_root_dir, directory)
    (jp_root_dir / "ok.txt").write_text("harmless")
    (jp_root_dir / "nb.ipynb").write_text("{}")
    return directory


async def assert_all_refused(
    send: Send, outside: Path, sandbox: Any, jobs: JobManager, field_prefix: str
) -> None:
    before = snapshot(outside)
    with counting(
        sandbox,
        uploads={"path": WORKSPACE_UPLOAD_PATH},
        downloads={"path": FILE_DOWNLOAD_PATH, "http_method": "GET"},
    ) as requests:
        for payload in HOSTILE_PATHS:
            # When the hostile path is sent
            status, reply = await send(payload)
            # Then it is refused with a 4xx naming the field
            assert 400 <= status < 500, (payload, status, reply)
            assert str(reply.get("field", "")).startswith(field_prefix), (payload, reply)
        # And nothing reached the data store
        assert requests.count("uploads") == requests.count("downloads") == 0
    # And nothing outside changed, and no job started
    assert snapshot(outside) == before
    assert jobs.list() == []


async def test_download_destinations_are_confined(
    api, jobs: JobManager, seeded: Seeded, outside: Path, rol_sandbox: Any
) -> None:
    async def send(destination: str) -> tuple[int, Any]:
        body = {"connection": CONNECTION, "permId": seeded.raw_measurement_1}
        return await api("POST", "openbis/downloads", {**body, "destination": destination})

    await assert_all_refused(send, outside, rol_sandbox, jobs, "destination")
    assert len(HOSTILE_PATHS) >= 30


async def test_upload_paths_are_confined(
    api, jobs: JobManager, outside: Path, rol_sandbox: Any
) -> None:
    async def send(path: str) -> tuple[int, Any]:
        return await api("POST", "openbis/uploads", upload_body(paths=["ok.txt", path]))

    await assert_all_refused(send, outside, rol_sandbox, jobs, "paths[1]")


async def test_included_notebooks_are_confined(
    api, jobs: JobManager, outside: Path, rol_sandbox: Any
) -> None:
    async def send(path: str) -> tuple[int, Any]:
        return await api("POST", "openbis/uploads", upload_body(includeNotebook=path))

    await assert_all_refused(send, outside, rol_sandbox, jobs, "includeNotebook")


async def test_manifest_folders_are_confined(
    jp_fetch, jobs: JobManager, outside: Path, rol_sandbox: Any
) -> None:
    (outside / ".openbis").mkdir()
    (outside / ".openbis" / "datasets.json").write_text('{"datasets": [{"permId": "SECRET"}]}')

    async def send(path: str) -> tuple[int, Any]:
        status, reply = await get_manifest(jp_fetch, path)
        assert "SECRET" not in str(reply)
        return status, reply

    await assert_all_refused(send, outside, rol_sandbox, jobs, "path")


async def test_an_uploaded_folder_must_not_link_outside(
    api, jobs: JobManager, outside: Path, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a folder inside the root that holds a link to the outside (planted by the fixture)
    # When that folder is uploaded
    with counting(rol_sandbox, uploads={"path": WORKSPACE_UPLOAD_PATH}) as requests:
        status, reply = await api("POST", "openbis/uploads", upload_body(paths=["nested"]))
        # Then it is refused, naming the link, before any byte moved
        assert status == 400
        assert reply["field"] == "paths[0]"
        assert "escape-link" in reply["message"]
        assert requests.count("uploads") == 0
    assert jobs.list() == []


async def test_an_absurd_selection_is_refused_before_any_path_is_looked_at(
    api, jobs: JobManager, rol_sandbox: Any
) -> None:
    # When 400 paths of 4000 characters are sent (1.6 MB of paths; each alone is allowed)
    status, reply = await api("POST", "openbis/uploads", upload_body(paths=["a/" * 2000] * 400))
    # Then a short 400 names the field, and no job started
    assert (status, reply["field"]) == (400, "paths"), reply
    assert "together" in reply["message"]
    assert len(json.dumps(reply)) < 2000
    assert jobs.list() == []


async def test_many_deep_missing_paths_get_a_short_answer_naming_the_first(
    api, jobs: JobManager, rol_sandbox: Any
) -> None:
    # When 60 different paths as deep as a path may go that do not exist are sent
    paths = [f"{'a/' * (MAX_DEPTH - 1)}b{i}" for i in range(60)]
    status, reply = await api("POST", "openbis/uploads", upload_body(paths=paths))
    # Then the 400 names the first, counts the others, and stays small
    assert (status, reply["field"], reply["code"]) == (400, "paths[0]", "not_found"), reply
    assert "more" in reply["message"]
    assert len(reply["errors"]) <= 5
    assert len(json.dumps(reply)) < 4000
    assert jobs.list() == []


def upload_body(**overrides: Any) -> dict[str, Any]:
    return {
        "connection": CONNECTION,
        "paths": ["ok.txt"],
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": "/LAB_A/MICROSCOPY/IMAGING_2024"},
        **overrides,
    }
