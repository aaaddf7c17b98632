"""Mount points and the folders made for them stay inside the root, and unmounting removes
exactly what the mount created (issue 8 §4), through the real route, sshfs and FUSE."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.local_mounts import entries

from .mount_helpers import detach_all_below, mounted_below
from .test_mount_sshfs import connect

pytestmark = pytest.mark.skipif(
    shutil.which("sshfs") is None or not os.path.exists("/dev/fuse"),
    reason="sshfs and FUSE are needed (Debian packages sshfs, fuse3)",
)


@pytest.fixture(autouse=True)
def no_mount_left_behind(jp_root_dir: Path):
    yield
    detach_all_below(jp_root_dir)


@pytest.fixture
def extension_config() -> dict[str, Any]:
    return {}


async def mount(api: Any, sandbox: Any, mountpoint: str) -> tuple[int, Any]:
    return await api(
        "POST",
        "openbis/connections/lab/mount",
        {"mountpoint": mountpoint, "port": sandbox.sftp_port},
    )


async def test_unmounting_a_nested_mount_point_removes_only_the_folders_it_created(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given `a/b` existing, with a file of the user's next to where the mount goes
    await connect(api, rol_sandbox, "lab")
    (jp_root_dir / "a" / "b").mkdir(parents=True)
    (jp_root_dir / "a" / "keep.txt").write_text("mine")
    # When `a/b/c` is mounted and unmounted
    status, body = await mount(api, rol_sandbox, "a/b/c")
    assert status == 200, body
    assert mounted_below(jp_root_dir) == [str(jp_root_dir / "a" / "b" / "c")]
    status, body = await api("DELETE", "openbis/connections/lab/mount")
    assert status == 200, body
    # Then only `c` is gone: `a/b` (empty, but the user's) and the file stay
    assert entries(jp_root_dir) == {"a", "a/b", "a/keep.txt"}


async def test_unmounting_removes_every_folder_the_mount_created_and_nothing_more(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given only `x` existing
    await connect(api, rol_sandbox, "lab")
    (jp_root_dir / "x").mkdir()
    # When `x/y/z/m` is mounted, then unmounted
    status, body = await mount(api, rol_sandbox, "x/y/z/m")
    assert status == 200, body
    assert (jp_root_dir / "x" / "y" / "z").is_dir()
    status, _ = await api("DELETE", "openbis/connections/lab/mount")
    # Then `x/y`, `x/y/z` and the mount point are gone, and `x` stays
    assert status == 200
    assert entries(jp_root_dir) == {"x"}


async def test_a_folder_the_user_filled_meanwhile_is_kept(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given `p/q` mounted where nothing existed, and a file the user put into `p` meanwhile
    await connect(api, rol_sandbox, "lab")
    status, body = await mount(api, rol_sandbox, "p/q")
    assert status == 200, body
    (jp_root_dir / "p" / "notes.txt").write_text("mine")
    # When unmounting
    await api("DELETE", "openbis/connections/lab/mount")
    # Then the mount point goes, and `p` with the user's file stays
    assert entries(jp_root_dir) == {"p", "p/notes.txt"}


async def test_the_default_mount_point_is_named_after_the_connection_and_skips_taken_names(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given `lab` a folder of the user's with a file, `lab-2` a file, `lab-3` a link out of
    # the root, and a second connection to the same host
    await connect(api, rol_sandbox, "lab")
    await connect(api, rol_sandbox, "lab-4")
    (jp_root_dir / "lab").mkdir()
    (jp_root_dir / "lab" / "notes.txt").write_text("mine")
    (jp_root_dir / "lab-2").write_text("mine too")
    outside = jp_root_dir.parent / "outside-default"
    outside.mkdir()
    os.symlink(outside, jp_root_dir / "lab-3")
    # When both connections are mounted without naming a mount point
    status, first = await api(
        "POST", "openbis/connections/lab/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 200, first
    status, second = await api(
        "POST", "openbis/connections/lab-4/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 200, second
    # Then each gets its own folder named after it: `lab` skips the three taken names and
    # `lab-4` then finds its own name taken by that mount
    assert (first["mountpoint"], second["mountpoint"]) == ("lab-4", "lab-4-2")
    assert sorted(mounted_below(jp_root_dir)) == [
        str(jp_root_dir / "lab-4"),
        str(jp_root_dir / "lab-4-2"),
    ]
    assert list(outside.iterdir()) == []
    # And unmounting removes only the folders the mounts created
    for name in ("lab", "lab-4"):
        status, body = await api("DELETE", f"openbis/connections/{name}/mount")
        assert status == 200, body
    assert entries(jp_root_dir) == {"lab", "lab/notes.txt", "lab-2", "lab-3"}


async def test_a_mount_point_through_a_link_out_of_the_root_is_refused(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a link inside the root to a sentinel folder outside it
    await connect(api, rol_sandbox, "lab")
    sentinel = jp_root_dir.parent / "outside-sentinel"
    sentinel.mkdir()
    os.symlink(sentinel, jp_root_dir / "link")
    for mountpoint in ("link", "link/c", "link/new/deeper"):
        # When mounting through it
        status, body = await mount(api, rol_sandbox, mountpoint)
        # Then it is a 4xx naming the field, nothing is mounted, nothing created out there
        assert (status, body["field"]) == (400, "mountpoint"), (mountpoint, body)
        assert mounted_below(jp_root_dir) == [] and mounted_below(sentinel) == []
        assert list(sentinel.iterdir()) == []


async def test_a_failed_mount_takes_back_the_folders_it_created(
    api, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a logged-in connection and a port where no SFTP server listens
    await connect(api, rol_sandbox, "lab")
    (jp_root_dir / "d").mkdir()
    # When mounting at `d/e/f` fails
    status, body = await api(
        "POST", "openbis/connections/lab/mount", {"mountpoint": "d/e/f", "port": 1}
    )
    # Then `d/e` and `d/e/f` are gone again, `d` stays
    assert status >= 400, body
    assert entries(jp_root_dir) == {"d"}


async def test_a_download_into_the_read_only_mount_is_refused_naming_the_folder(
    api, rol_sandbox: Any, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    # Given the data store mounted (read-only, as the extension always mounts it)
    await connect(api, rol_sandbox, "lab")
    status, body = await mount(api, rol_sandbox, "store")
    assert status == 200, body
    _, datasets = await api("GET", "openbis/connections/lab/datasets")
    perm_id = datasets["items"][0]["permId"]
    # When a dataset is downloaded into the mount
    status, body = await api(
        "POST",
        "openbis/downloads",
        {"connection": "lab", "permId": perm_id, "destination": "store"},
    )
    # Then the local folder is blamed before a job exists, not "Unexpected error (OSError)"
    assert (status, body["code"], body["field"]) == (409, "local_read_only", "destination"), body
    assert "'store'" in body["message"]
    assert jp_serverapp.web_app.settings["reana_openbis_lab"].jobs.list() == []
