"""What the extension leaves in the Jupyter root while it works, recognised and cleaned up
even when the process that made it died without cleaning up itself.

Transfers stage their bytes in hidden folders next to their targets (`.openbis-partial-*`,
`.reana-download-*`), and mounts create mount points. Whoever makes such a thing (the lab
worker for staging, the server for mounts) writes it down first in its own journal,
`<data_dir>/journal/<owner>.json`, and holds an exclusive lock on `<owner>.lock` for as
long as it lives. The kernel drops that lock when the process ends, however it ends
(SIGKILL included), so a journal whose lock can be taken belongs to a dead owner: what it
lists is left over, and only what it lists is ever touched. A user's folder that merely
looks like staging is never in a journal, so it stays.

Left-overs are cleaned up
- at the server's start (`sweep`: every dead owner's entries inside this root),
- after the lab worker died (the server sweeps its journal),
- before a transfer stages into a folder (`Journal.staging_dir`: that folder's entries),
and a mount point is unmounted (lazily: nothing can hang on it) before its folders go.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .local_tree import remove_quietly

log = logging.getLogger(__name__)

#: Entry kinds.
STAGING = "staging"
MOUNT = "mount"
#: Name prefixes of staging folders: hidden, so that file browsers do not show half-done work.
OPENBIS_STAGING = ".openbis-partial-"
REANA_STAGING = ".reana-download-"
STAGING_PREFIXES = (OPENBIS_STAGING, REANA_STAGING)
JOURNAL_FOLDER = "journal"
#: Seconds an unmount of a dead owner's mount may take.
UNMOUNT_TIMEOUT = 10.0
UNMOUNT_COMMANDS = (("fusermount3", "-u", "-z"), ("fusermount", "-u", "-z"), ("umount", "-l"))
PROC_MOUNTS = Path("/proc/mounts")


@dataclass(frozen=True)
class Entry:
    kind: str
    path: str
    #: For a mount: the folders it created, outermost first (removed while empty).
    created: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "created": list(self.created)}

    @classmethod
    def from_json(cls, raw: Any) -> Entry | None:
        if not isinstance(raw, dict) or raw.get("kind") not in (STAGING, MOUNT):
            return None
        path, created = raw.get("path"), raw.get("created") or []
        if not isinstance(path, str) or not all(isinstance(c, str) for c in created):
            return None
        return cls(raw["kind"], path, tuple(created))


class Journal:
    """The live owner's list of what it made; `open` takes its lock for the process's life."""

    def __init__(self, folder: Path, owner: str, lock_fd: int) -> None:
        self.folder = folder
        self.owner = owner
        self._lock_fd = lock_fd
        self._entries: dict[tuple[str, str], Entry] = {}
        self._mutex = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path) -> Journal:
        folder = Path(data_dir) / JOURNAL_FOLDER
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        owner = uuid.uuid4().hex
        fd = os.open(folder / f"{owner}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        journal = cls(folder, owner, fd)
        journal._save()
        return journal

    # ---- what is made and undone ------------------------------------------------------------
    def add(self, entry: Entry) -> None:
        with self._mutex:
            self._entries[(entry.kind, entry.path)] = entry
            self._save()

    def remove(self, kind: str, path: str | Path) -> None:
        with self._mutex:
            if self._entries.pop((kind, str(path)), None) is not None:
                self._save()

    @contextlib.contextmanager
    def staging_dir(self, parent: Path, prefix: str) -> Iterator[Path]:
        """A new staging folder in `parent`, written down before it exists and removed with
        everything in it at the end; dead owners' staging in `parent` goes first."""
        sweep_folder(self.folder, parent)
        name = f"{prefix}{uuid.uuid4().hex[:12]}"
        staging = parent / name
        self.add(Entry(STAGING, str(staging)))
        try:
            staging.mkdir(mode=0o700)
            yield staging
        finally:
            _remove_tree(staging)
            self.remove(STAGING, staging)

    def held(self) -> list[Entry]:
        with self._mutex:
            return list(self._entries.values())

    def close(self) -> None:
        """At a clean end: nothing is left over, so the journal goes."""
        with contextlib.suppress(OSError):
            (self.folder / f"{self.owner}.json").unlink()
        with contextlib.suppress(OSError):
            (self.folder / f"{self.owner}.lock").unlink()
        with contextlib.suppress(OSError):
            os.close(self._lock_fd)

    def _save(self) -> None:
        """Atomically, so that a dead owner's journal is never half written."""
        document = {"owner": self.owner, "entries": [e.to_json() for e in self._entries.values()]}
        fd, temp = tempfile.mkstemp(prefix=f".{self.owner}.", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out)
            os.replace(temp, self.folder / f"{self.owner}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


@contextlib.contextmanager
def staging_dir(journal: Journal | None, parent: Path, prefix: str) -> Iterator[Path]:
    """`journal.staging_dir`, or an unrecorded one where no journal is kept (tests)."""
    if journal is not None:
        with journal.staging_dir(parent, prefix) as staging:
            yield staging
        return
    staging = parent / f"{prefix}{uuid.uuid4().hex[:12]}"
    staging.mkdir(mode=0o700)
    try:
        yield staging
    finally:
        _remove_tree(staging)


# ---- cleaning up after dead owners ------------------------------------------------------------


def sweep(data_dir: Path, root_dir: Path) -> list[str]:
    """Undo what dead owners left inside `root_dir`; returns what was undone (for the log).

    Entries outside this root (another server with another root) are kept for that one."""
    folder = Path(data_dir) / JOURNAL_FOLDER
    undone: list[str] = []
    for journal, entries, release in _dead_journals(folder):
        kept: list[Entry] = []
        for entry in entries:
            if not _inside(Path(entry.path), root_dir):
                kept.append(entry)
                continue
            if _undo(entry):
                undone.append(f"{entry.kind} {entry.path}")
        _finish(journal, kept)
        release()
    return undone


def sweep_folder(journal_folder: Path, parent: Path) -> None:
    """Before staging into `parent`: dead owners' staging folders directly in it go."""
    for journal, entries, release in _dead_journals(journal_folder):
        kept = []
        for entry in entries:
            if entry.kind == STAGING and Path(entry.path).parent == parent:
                _undo(entry)
            else:
                kept.append(entry)
        _finish(journal, kept)
        release()


def _dead_journals(folder: Path) -> Iterator[tuple[Path, list[Entry], Any]]:
    """(journal, its entries, release) of every owner whose lock is free; the lock is ours
    until `release` is called, so two sweepers never undo the same entries."""
    try:
        journals = sorted(folder.glob("*.json"))
    except OSError:
        return
    for journal in journals:
        if journal.name.startswith("."):
            continue
        lock = journal.with_suffix(".lock")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            fd = -1  # an owner that never took its lock (or was swept): dead
        except OSError:
            continue
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # alive
        try:
            document = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = {}
        raw = document.get("entries") if isinstance(document, dict) else None
        entries = [e for e in map(Entry.from_json, raw if isinstance(raw, list) else []) if e]

        def release(fd: int = fd, lock: Path = lock, journal: Path = journal) -> None:
            if fd >= 0:
                if not journal.exists():
                    with contextlib.suppress(OSError):
                        lock.unlink()
                os.close(fd)

        yield journal, entries, release


def _finish(journal: Path, kept: list[Entry]) -> None:
    if kept:
        document = {"owner": journal.stem, "entries": [e.to_json() for e in kept]}
        with contextlib.suppress(OSError):
            journal.write_text(json.dumps(document), encoding="utf-8")
    else:
        with contextlib.suppress(OSError):
            journal.unlink()


def staging_entry_removed(entry: Entry) -> None:
    """Remove a staging folder of the live owner's own journal (at its shutdown)."""
    _undo(entry)


def _undo(entry: Entry) -> bool:
    path = Path(entry.path)
    if entry.kind == STAGING:
        if not path.name.startswith(STAGING_PREFIXES) or path.is_symlink():
            return False
        existed = path.exists()
        _remove_tree(path)
        if existed:
            log.info("Removed %s, left over by a transfer that did not finish", path)
        return existed
    if in_mount_table(path):
        unmount_lazily(path)
        log.info("Unmounted %s, left mounted by a server that did not stop cleanly", path)
    for created in reversed(entry.created):  # innermost first, each only while empty
        try:
            os.rmdir(created)
        except OSError:
            break
    return True


def _remove_tree(path: Path) -> None:
    """Remove a folder we made, unless a link now leads somewhere else on the way to it
    (entries are real paths: a link planted in their chain since must not be followed);
    without recursion, however deep the tree a transfer staged (`local_tree`)."""
    with contextlib.suppress(OSError):
        if os.path.realpath(path) == str(path) and path.is_dir():
            remove_quietly(path)


def _inside(path: Path, root_dir: Path) -> bool:
    """Lexically below the resolved root (entries are absolute paths we made there)."""
    root = Path(root_dir).resolve()
    return path == root or root in path.parents


def in_mount_table(mountpoint: Path) -> bool:
    """Whether /proc/mounts lists the folder (octal escapes as the kernel writes them)."""
    try:
        table = PROC_MOUNTS.read_text()
    except OSError:
        return os.path.ismount(mountpoint)  # no procfs (macOS): the only way left
    escaped = (
        str(mountpoint)
        .replace("\\", "\\134")
        .replace(" ", "\\040")
        .replace("\t", "\\011")
        .replace("\n", "\\012")
    )
    return any(line.split(" ")[1:2] == [escaped] for line in table.splitlines())


def unmount_lazily(path: str | Path) -> bool:
    """Detach a FUSE mount (its sshfs then exits), with the first tool present; blocking."""
    for command in UNMOUNT_COMMANDS:
        executable = shutil.which(command[0])
        if executable is None:
            continue
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            done = subprocess.run(
                [executable, *command[1:], str(path)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=UNMOUNT_TIMEOUT,
                check=False,
            )
            if done.returncode == 0:
                return True
    log.warning("Could not unmount %s", path)
    return False
