"""Make and remove folder trees without recursion.

Python 3.11's `Path.mkdir(parents=True)`, `os.makedirs`, `os.walk` and `shutil.rmtree` call
themselves once per level: a tree a user made 1,500 folders deep (the kernel allows it as
long as each absolute path stays under PATH_MAX) raises RecursionError, which is no
OSError, so no `ignore_errors` or `except OSError` catches it. Everything the extension
makes, walks or removes below the root goes through here instead.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def make_folders(folder: Path, mode: int = 0o777) -> list[Path]:
    """`mkdir -p`, one level at a time; returns the folders it created, outermost first, so
    that a failure later on can take exactly those back (`remove_created`)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            try:
                path.mkdir(mode)
            except FileExistsError:
                if not path.is_dir():
                    raise
                continue
            created.append(path)
    except BaseException:
        remove_created(created)
        raise
    return created


def remove_created(created: list[Path]) -> None:
    """Remove folders `make_folders` created, innermost first, while they are empty."""
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            return


def remove_tree(path: Path) -> None:
    """`rm -r` that never follows a link and never recurses: every folder is opened relative
    to its parent's descriptor with O_NOFOLLOW (as `shutil.rmtree`'s safe variant does), so
    a link swapped in meanwhile is removed as a link, never walked into. Missing is fine;
    other failures raise OSError."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return
    top = os.open(path, _DIRECTORY)
    # Each level: its descriptor, its parent's, its name there, and the entries left to do.
    stack: list[tuple[int, int | None, str, list[tuple[str, bool]]]] = [
        (top, None, "", _entries(top))
    ]
    try:
        while stack:
            fd, _parent, _name, entries = stack[-1]
            if entries:
                name, is_dir = entries.pop()
                if is_dir:
                    try:
                        child = os.open(name, _DIRECTORY, dir_fd=fd)
                    except OSError:  # replaced by a file or link meanwhile: remove that
                        os.unlink(name, dir_fd=fd)
                        continue
                    stack.append((child, fd, name, _entries(child)))
                else:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name, dir_fd=fd)
                continue
            stack.pop()
            os.close(fd)
            if _parent is not None:
                os.rmdir(_name, dir_fd=_parent)
    finally:
        for fd, *_ in stack:
            os.close(fd)
    os.rmdir(path)


def _entries(fd: int) -> list[tuple[str, bool]]:
    with os.scandir(fd) as found:
        return [(e.name, e.is_dir(follow_symlinks=False)) for e in found]


def remove_quietly(path: Path) -> None:
    """Best-effort `remove_tree`: cleanup must never hide the error that made it necessary."""
    with contextlib.suppress(OSError):
        remove_tree(path)


def walk_files(
    top: Path,
    limit: int,
    *,
    entering: Callable[[Path], None] | None = None,
    skip: Callable[[Path, bool], bool] | None = None,
) -> Iterator[Path]:
    """Regular files below `top` (links neither followed nor listed), depth first, at most
    `limit` of them; folders that cannot be read are skipped. `entering` is told of each
    folder before its entries are judged (its parents' first), and an entry `skip` refuses
    (path, is_dir) is neither listed nor entered: what ignore files need."""
    stack = [top]
    count = 0
    while stack:
        folder = stack.pop()
        if entering is not None:
            entering(folder)
        try:
            with os.scandir(folder) as found:
                entries = list(found)
        except OSError:
            continue
        for entry in entries:
            is_dir = entry.is_dir(follow_symlinks=False)
            if not is_dir and not entry.is_file(follow_symlinks=False):
                continue
            if skip is not None and skip(Path(entry.path), is_dir):
                continue
            if is_dir:
                stack.append(Path(entry.path))
            else:
                if count >= limit:
                    return
                count += 1
                yield Path(entry.path)
