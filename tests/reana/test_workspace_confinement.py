"""Hostile paths on workspace transfers: always a 4xx, nothing read or written outside the root."""

from __future__ import annotations

import pytest

from tests.hostile_paths import HOSTILE_PATHS, plant_escape_symlinks, snapshot

from .reana_helpers import add_connection

FINISHED = "reana/connections/sandbox/workflows/demo-finished.1/workspace"


@pytest.fixture
def outside(jp_root_dir, tmp_path_factory):
    """A directory outside the root with a secret, and symlinks in the root that lead to it."""
    folder = tmp_path_factory.mktemp("outside")
    plant_escape_symlinks(jp_root_dir, folder)
    return folder


async def test_hostile_download_destinations_are_refused(api, rol_sandbox, jp_root_dir, outside):
    await add_connection(api, rol_sandbox)
    before_root, before_outside = snapshot(jp_root_dir), snapshot(outside)
    for payload in HOSTILE_PATHS:
        # When a download is aimed at a hostile destination
        status, body = await api(
            "POST", f"{FINISHED}/download", {"paths": ["reana.yaml"], "destination": payload}
        )
        # Then it is refused before any job starts
        assert 400 <= status < 500, (payload, status, body)
        assert body["field"] == "destination", payload
    # And nothing changed inside or outside the root
    assert snapshot(jp_root_dir) == before_root
    assert snapshot(outside) == before_outside
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_hostile_upload_sources_are_refused(api, rol_sandbox, jp_root_dir, outside):
    await add_connection(api, rol_sandbox)
    (jp_root_dir / "legit.txt").write_text("fine")
    for payload in HOSTILE_PATHS:
        # When an upload names a hostile source (alone, or next to a legitimate one)
        for sources in ([payload], ["legit.txt", payload]):
            status, body = await api("POST", f"{FINISHED}/upload", {"sources": sources})
            # Then it is refused and no job reads anything
            assert 400 <= status < 500, (payload, status, body)
            assert body["field"].split("[")[0] == "sources", payload
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_a_folder_with_a_symlink_leading_out_is_not_uploaded(
    api, rol_sandbox, jp_root_dir, outside
):
    # Given a folder that holds a symlink to a file outside the root
    await add_connection(api, rol_sandbox)
    (jp_root_dir / "mixed").mkdir()
    (jp_root_dir / "mixed" / "ok.txt").write_text("ok")
    (jp_root_dir / "mixed" / "leak.txt").symlink_to(outside / "secret.txt")
    # When the folder is uploaded
    status, body = await api("POST", f"{FINISHED}/upload", {"sources": ["mixed"]})
    # Then the whole upload is refused
    assert (status, body["field"]) == (400, "sources")


async def test_hostile_workspace_paths_are_refused(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    for payload in ["../x", "/etc/passwd", "a/../../b", "a\\b", "x\x00y", "..", "a/\x7f"]:
        status, body = await api("POST", f"{FINISHED}/download", {"paths": [payload]})
        assert (status, body["field"]) == (400, "paths"), payload
        status, body = await api(
            "POST", f"{FINISHED}/upload", {"sources": ["legit"], "target": payload}
        )
        assert (status, body["field"]) == (400, "target"), payload
