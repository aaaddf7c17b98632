"""Write the requirement files next to a notebook: checked together first, never a half file.

Each file is written to a hidden temporary name in the same folder and then moved into
place. Without `overwrite`, the move is `os.link`, which fails atomically if the name
appeared meanwhile, so a file the user wrote by hand is never replaced behind their back;
an existing file with exactly the wanted content is left alone and counts as done.

The folder is the notebook's, checked when the request arrived; asking the kernel takes a
while, so each file is confined again right before it is written, and a file system that
refuses (read-only, full, no permission) is reported as the LocalProblem it is.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Conflict, InvalidInput
from ..paths import confine_own, local_problem


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    content: str
    field: str


def write_all(root_dir: Path, files: list[PlannedFile], *, overwrite: bool) -> list[bool]:
    """Write every file (blocking: call from a thread); returns, per file, whether it changed."""
    for planned in files:
        confine_own(root_dir, planned.path, field=planned.field)
    changes = [_needs_write(planned, overwrite=overwrite) for planned in files]
    for planned, change in zip(files, changes, strict=True):
        if change:
            try:
                _write_atomically(planned, overwrite=overwrite)
            except OSError as exc:
                problem = local_problem(exc, root_dir, planned.path)
                problem.field = planned.field
                raise problem from None
    return changes


def _needs_write(planned: PlannedFile, *, overwrite: bool) -> bool:
    path = planned.path
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InvalidInput(f"'{path.name}' exists and is not a regular file", field=planned.field)
    if not path.exists():
        return True
    if path.read_text(encoding="utf-8", errors="replace") == planned.content:
        return False
    if not overwrite:
        raise _exists(planned)
    return True


def _write_atomically(planned: PlannedFile, *, overwrite: bool) -> None:
    folder = planned.path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{planned.path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(planned.content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        if overwrite:
            os.replace(temp_name, planned.path)
        else:
            try:
                os.link(temp_name, planned.path)
            except FileExistsError:
                raise _exists(planned) from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def _exists(planned: PlannedFile) -> Conflict:
    return Conflict(
        f"'{planned.path.name}' already exists with other content; send \"overwrite\": true"
        " to replace it",
        field=planned.field,
        code="exists",
    )
