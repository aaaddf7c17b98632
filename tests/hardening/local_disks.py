"""Folders below the root that are full or read-only for real: a tiny tmpfs and a read-only
bind mount when the tests run as root (containers, CI here), else the nearest a normal user
can get (a per-file size limit, a folder without write permission)."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path


def _mount(*args: str) -> bool:
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@contextlib.contextmanager
def full_disk(folder: Path) -> Iterator[str]:
    """`folder` (created) on a file system with no free byte; yields how ("tmpfs" or "rlimit")."""
    folder.mkdir(parents=True)
    if _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)):
        try:
            with open(folder / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
                while True:
                    filler.write(b"\0" * 4096)
            yield "tmpfs"
        finally:
            _umount(folder)
        return
    previous = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, previous[1]))
    try:
        yield "rlimit"
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous)
        signal.signal(signal.SIGXFSZ, handler)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """`folder` (created) where nothing can be written, not even by root."""
    folder.mkdir(parents=True)
    if _mount("--bind", str(folder), str(folder)):
        try:
            if _mount("-o", "remount,bind,ro", str(folder)):
                yield "read-only mount"
                return
        finally:
            _umount(folder)
    folder.chmod(0o555)
    try:
        yield "no write permission"
    finally:
        folder.chmod(0o755)
