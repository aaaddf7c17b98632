"""All-or-nothing placement of transferred files: stage under a hidden name, then rename.

A transfer writes into a staging folder next to its targets (same filesystem, so every
rename is atomic). Only when every byte has arrived are the staged files moved into
place; if one move fails, the moves already done are undone and replaced files come
back. A failed or cancelled job therefore leaves neither a partial file nor a changed one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..leftovers import OPENBIS_STAGING
from ..local_tree import remove_quietly

#: Prefix of openBIS downloads' staging folders (made by `leftovers.staging_dir`).
STAGING_PREFIX = OPENBIS_STAGING


@dataclass
class Placement:
    """Moves staged files onto their targets, remembering enough to undo every step."""

    scratch: Path
    _placed: list[Path] = field(default_factory=list)
    _backups: list[tuple[Path, Path]] = field(default_factory=list)
    _created_dirs: list[Path] = field(default_factory=list)

    def place(self, staged: Path, target: Path) -> None:
        self._make_parents(target.parent)
        if target.exists() or target.is_symlink():
            backup = Path(tempfile.mkdtemp(dir=self.scratch)) / target.name
            os.replace(target, backup)
            self._backups.append((backup, target))
        os.replace(staged, target)
        self._placed.append(target)

    def undo(self) -> None:
        for target in reversed(self._placed):
            remove_quietly(target)
        for backup, target in reversed(self._backups):
            with contextlib.suppress(OSError):
                os.replace(backup, target)
        for directory in reversed(self._created_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()

    def _make_parents(self, directory: Path) -> None:
        missing: list[Path] = []
        while not directory.exists():
            missing.append(directory)
            directory = directory.parent
        for path in reversed(missing):
            path.mkdir()
            self._created_dirs.append(path)


def place_all(
    pairs: list[tuple[Path, Path]], scratch: Path, then: Callable[[], object] | None = None
) -> None:
    """Move every (staged, target) pair into place, or none of them.

    `then` runs once everything is in place; if it fails, the placement is undone too, so
    bookkeeping (a manifest) and the files never disagree.
    """
    placement = Placement(scratch)
    try:
        for staged, target in pairs:
            placement.place(staged, target)
        if then is not None:
            then()
    except BaseException:
        placement.undo()
        raise
