"""What the lab worker undoes when the server goes away without undoing it: its mounts.

The server tells the worker about every mount it makes; if the server then stops without
its shutdown hooks (SIGINT without a terminal, SIGKILL), the worker sees its stdin end and
unmounts them, so that a stopped server leaves no running sshfs behind. (Staging folders
are the worker's own: its journal has them, see `leftovers`.)
"""

from __future__ import annotations

import threading

from .. import leftovers


class Guards:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mounts: set[str] = set()

    def set(self, kind: str, path: str, on: bool) -> None:
        if kind != leftovers.MOUNT:
            raise ValueError(f"unknown guard {kind!r}")
        with self._lock:
            if on:
                self._mounts.add(path)
            else:
                self._mounts.discard(path)

    def undo_all(self) -> None:
        with self._lock:
            mounts, self._mounts = sorted(self._mounts), set()
        for path in mounts:
            leftovers.unmount_lazily(path)


#: The worker process's one registry.
GUARDS = Guards()
