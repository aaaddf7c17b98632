"""Real local file system faults for tests: a read-only or tiny tmpfs mounted inside the root.

Mounting needs root (or CAP_SYS_ADMIN); where it is not permitted the test is skipped,
so that a read-only folder is never faked by a permission bit that root ignores anyway.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

PAGE = 4096


@contextlib.contextmanager
def tmpfs(where: Path, *, size: str = "1m", read_only: bool = False) -> Iterator[Path]:
    """`where` (created) becomes a fresh tmpfs of `size`, read-only if asked; unmounted after."""
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
        timeout=30,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, timeout=30)


def free_bytes(where: Path) -> int:
    stats = os.statvfs(where)
    return stats.f_bavail * stats.f_frsize


def fill_leaving(where: Path, room: int) -> None:
    """Write a filler file so that about `room` bytes (rounded up to a page) stay free."""
    keep = -(-room // PAGE) * PAGE
    with open(where / "filler.bin", "wb") as filler:
        filler.write(b"\0" * max(0, free_bytes(where) - keep))


def entries(folder: Path) -> set[str]:
    """Every path below `folder` (files, folders, links), relative, to compare before/after."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def remount_read_only(where: Path) -> None:
    """Make a tmpfs from `tmpfs()` read-only after files were put on it."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, timeout=30)
