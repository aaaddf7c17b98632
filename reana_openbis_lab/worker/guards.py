"""What the lab worker undoes when the server goes away: staging folders and mounts.

A transfer's staging folder is registered here while it exists (the transfer removes it
itself when it ends); a mount is registered by the server when it mounts. If the server
stops without its shutdown hooks (SIGINT without a terminal, SIGKILL), the worker sees
its stdin end, cancels its calls and then undoes whatever is still registered, so that a
stopped server leaves neither half-written data nor a running sshfs behind.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import threading
from pathlib import Path

log = logging.getLogger(__name__)

STAGING = "staging"
MOUNT = "mount"
#: Seconds an unmount may take at exit.
UNMOUNT_TIMEOUT = 5.0
UNMOUNT_COMMANDS = (("fusermount3", "-u", "-z"), ("fusermount", "-u", "-z"), ("umount", "-l"))


class Guards:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: dict[str, set[str]] = {STAGING: set(), MOUNT: set()}

    def set(self, kind: str, path: str | Path, on: bool) -> None:
        with self._lock:
            paths = self._paths.setdefault(kind, set())
            if on:
                paths.add(str(path))
            else:
                paths.discard(str(path))

    def held(self, kind: str) -> list[str]:
        with self._lock:
            return sorted(self._paths.get(kind, ()))

    def undo_all(self) -> None:
        for path in self.held(STAGING):
            shutil.rmtree(path, ignore_errors=True)
            self.set(STAGING, path, False)
        for path in self.held(MOUNT):
            unmount_lazily(path)
            self.set(MOUNT, path, False)


def unmount_lazily(path: str) -> None:
    """Detach a FUSE mount (its sshfs then exits); quietly, with the first tool present."""
    for command in UNMOUNT_COMMANDS:
        executable = shutil.which(command[0])
        if executable is None:
            continue
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            done = subprocess.run(
                [executable, *command[1:], path],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=UNMOUNT_TIMEOUT,
                check=False,
            )
            if done.returncode == 0:
                return
    log.warning("Could not unmount %s", path)


#: The worker process's one registry.
GUARDS = Guards()
