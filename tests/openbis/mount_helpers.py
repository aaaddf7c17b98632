"""Shared by the mount tests: reading through a FUSE mount safely, and cleaning up after it."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
#: Generous: a FUSE read on a loaded machine can be slow; this is a hang guard, not a speed check.
FUSE_IO_TIMEOUT = 60


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """Touch a FUSE mount from a worker thread: a hung mount must not freeze the test's loop."""
    return await asyncio.wait_for(asyncio.to_thread(fn, *args), FUSE_IO_TIMEOUT)


def mounted_below(root: Path) -> list[str]:
    with open("/proc/mounts") as table:
        points = [line.split(" ")[1] for line in table]
    return [p for p in points if p == str(root) or p.startswith(f"{root}/")]


def detach_all_below(root: Path) -> None:
    """Safety net after a failed test: never leave a mount behind in a temporary folder."""
    for point in mounted_below(root.resolve()):
        subprocess.run(["fusermount3", "-uz", point], check=False, timeout=30)


def command_lines() -> dict[int, str]:
    """Every readable /proc/<pid>/cmdline, as any local user could read it."""
    lines = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        lines[int(entry)] = raw.replace(b"\0", b" ").decode("utf-8", errors="replace")
    return lines
