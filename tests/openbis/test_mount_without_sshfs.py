"""Without sshfs the mount route says which package to install, and /info says it is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def extension_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("PRESET_OPENBIS_PASSWORD", "p")
    return {
        "sshfs_command": str(tmp_path / "not-installed" / "sshfs"),
        "openbis_connections": [
            {
                "name": "preset",
                "url": "http://127.0.0.1:9",
                "username": "u",
                "password_env": "PRESET_OPENBIS_PASSWORD",
            }
        ],
    }


async def test_mounting_without_sshfs_names_the_package_to_install(api, jp_root_dir: Path) -> None:
    # Given a server whose sshfs_command does not exist
    # When mounting
    status, body = await api("POST", "openbis/connections/preset/mount")

    # Then 503 names the Debian and Homebrew packages, and nothing was created
    assert status == 503 and body["code"] == "sshfs_missing"
    assert "'sshfs'" in body["message"] and "macfuse" in body["message"]
    assert "gromgit/fuse/sshfs-mac" in body["message"]
    assert list(jp_root_dir.iterdir()) == []
    status, info = await api("GET", "info")
    assert info["capabilities"]["sshfs"] == {"available": False}
