"""Mount requests refused before sshfs runs: confinement, bad input, missing login, conflicts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.hostile_paths import (
    HOSTILE_PATHS,
    SYMLINK_PAYLOADS,
    plant_escape_symlinks,
    snapshot,
)

from .mount_helpers import mounted_below

PRESET_PASSWORD = "preset-mount-password"

pytestmark = pytest.mark.skipif(shutil.which("sshfs") is None, reason="sshfs is needed")


@pytest.fixture
def extension_config(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A preset holds its secret from the start: no openBIS server is needed to reach sshfs."""
    monkeypatch.setenv("PRESET_OPENBIS_PASSWORD", PRESET_PASSWORD)
    return {
        "openbis_connections": [
            {
                "name": "preset",
                "url": "http://127.0.0.1:9",
                "username": "alice",
                "password_env": "PRESET_OPENBIS_PASSWORD",
            }
        ]
    }


@pytest.mark.parametrize("payload", HOSTILE_PATHS)
async def test_hostile_mountpoints_are_refused_and_create_nothing(
    api, jp_root_dir: Path, tmp_path: Path, payload: str
) -> None:
    # Given a root with symlinks leading out of it
    outside = tmp_path / "outside"
    plant_escape_symlinks(jp_root_dir, outside)
    before_outside, before_root = snapshot(outside), sorted(jp_root_dir.rglob("*"))

    # When mounting there
    status, body = await api("POST", "openbis/connections/preset/mount", {"mountpoint": payload})

    # Then a 4xx names the field and nothing was created or mounted anywhere
    assert 400 <= status < 500, body
    assert body["field"] == "mountpoint"
    assert snapshot(outside) == before_outside
    assert sorted(jp_root_dir.rglob("*")) == before_root
    assert mounted_below(jp_root_dir) == [] and mounted_below(outside) == []
    if payload in SYMLINK_PAYLOADS:
        assert sorted(p.name for p in outside.iterdir()) == ["inner.txt", "secret.txt"]


@pytest.mark.parametrize(
    ("prepare", "mountpoint", "status", "field"),
    [
        (None, "", 400, "mountpoint"),
        (None, ".", 400, "mountpoint"),
        ("file", "taken", 409, "mountpoint"),
        ("full-folder", "taken", 409, "mountpoint"),
    ],
)
async def test_unusable_mountpoints_are_refused(
    api, jp_root_dir: Path, prepare: str | None, mountpoint: str, status: int, field: str
) -> None:
    # Given a root where the wanted folder is a file, or a folder with content
    if prepare == "file":
        (jp_root_dir / "taken").write_text("mine")
    elif prepare == "full-folder":
        (jp_root_dir / "taken").mkdir()
        (jp_root_dir / "taken" / "keep.txt").write_text("mine")

    # When mounting there, then the answer names the field and the user's files stay
    answer, body = await api("POST", "openbis/connections/preset/mount", {"mountpoint": mountpoint})
    assert (answer, body["field"]) == (status, field), body
    if prepare == "file":
        assert (jp_root_dir / "taken").read_text() == "mine"
    if prepare == "full-folder":
        assert (jp_root_dir / "taken" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"port": 0}, "port"),
        ({"port": 70000}, "port"),
        ({"port": "2222"}, "port"),
        ({"mountpoint": 5}, "mountpoint"),
    ],
)
async def test_bad_mount_input_is_a_400(api, body: dict[str, Any], field: str) -> None:
    status, answer = await api("POST", "openbis/connections/preset/mount", body)
    assert status == 400 and answer["field"] == field


async def test_a_connection_without_secret_must_log_in_first(api, jp_root_dir: Path) -> None:
    # Given a user connection that never logged in
    await api("POST", "openbis/connections", {"name": "fresh", "url": "https://h.example.org"})

    # When mounting it, then 401 asks to log in, and no folder appears
    status, body = await api("POST", "openbis/connections/fresh/mount")
    assert status == 401 and body["code"] == "login_required"
    assert list(jp_root_dir.iterdir()) == []


async def test_unknown_connections_and_absent_mounts_are_not_found(api) -> None:
    assert (await api("POST", "openbis/connections/nobody/mount"))[0] == 404
    assert (await api("GET", "openbis/connections/nobody/mount"))[0] == 404
    status, body = await api("DELETE", "openbis/connections/preset/mount")
    assert status == 404 and body["code"] == "not_mounted"
    status, body = await api("GET", "openbis/connections/preset/mount")
    assert body == {"name": "preset", "isMounted": False, "mountpoint": None}
