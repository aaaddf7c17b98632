"""requirements.txt and runtime.txt: confined like a user's path right before they are
written, and a notebook folder the server cannot write is a local 409, never a 500
(issue 8 §4 and §7). Explicit lists are sent, so no kernel is needed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.local_mounts import entries, fill_leaving, remount_read_only, tmpfs

NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
EXPLICIT = {"requirements_list": ["numpy==1.26.4"], "runtime": "python-3.11"}


def notebook_in(folder: Path) -> None:
    (folder / "nb.ipynb").write_text(json.dumps(NOTEBOOK))


async def freeze(api: Any, notebook: str, **extra: Any) -> tuple[int, Any]:
    return await api("POST", "requirements", {"notebook_path": notebook, **EXPLICIT, **extra})


async def test_requirement_files_linking_outside_the_root_are_refused(
    api, jp_root_dir: Path
) -> None:
    # Given requirements.txt and runtime.txt next to a notebook, linking to files outside
    sentinel = jp_root_dir.parent / "outside-sentinel"
    sentinel.mkdir()
    (sentinel / "requirements.txt").write_text("theirs\n")
    (sentinel / "runtime.txt").write_text("theirs\n")
    (jp_root_dir / "nb").mkdir()
    notebook_in(jp_root_dir / "nb")
    for name in ("requirements.txt", "runtime.txt"):
        os.symlink(sentinel / name, jp_root_dir / "nb" / name)
        # When freezing, also with overwrite
        for overwrite in (False, True):
            status, body = await freeze(api, "nb/nb.ipynb", overwrite=overwrite)
            # Then it is a 4xx naming the file's field, and the outside files are untouched
            assert status == 400 and body["field"].endswith("_filename"), body
        os.unlink(jp_root_dir / "nb" / name)
    assert {p.name: p.read_text() for p in sentinel.iterdir()} == {
        "requirements.txt": "theirs\n",
        "runtime.txt": "theirs\n",
    }


async def test_a_read_only_notebook_folder_is_a_local_409(api, jp_root_dir: Path) -> None:
    # Given a notebook on a read-only file system
    with tmpfs(jp_root_dir / "ro") as folder:
        notebook_in(folder)
        remount_read_only(folder)
        # When freezing its requirements
        status, body = await freeze(api, "ro/nb.ipynb")
        left = entries(folder)
    # Then the answer blames the local file system and names the file
    assert (status, body["code"]) == (409, "local_read_only"), body
    assert "ro/requirements.txt" in body["message"]
    assert left == {"nb.ipynb"}


async def test_a_full_disk_is_a_local_409_and_leaves_no_half_file(api, jp_root_dir: Path) -> None:
    # Given a notebook on a disk with no room left
    with tmpfs(jp_root_dir / "full", size="64k") as folder:
        notebook_in(folder)
        fill_leaving(folder, 0)
        # When freezing its requirements
        status, body = await freeze(api, "full/nb.ipynb")
        left = entries(folder)
    # Then the disk is named as the reason, and no partial or temporary file is left
    assert (status, body["code"]) == (409, "local_disk_full"), body
    assert "full/requirements.txt" in body["message"]
    assert left == {"nb.ipynb", "filler.bin"}
