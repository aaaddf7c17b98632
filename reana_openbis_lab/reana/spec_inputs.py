"""What a run dialog needs from a spec besides the verdict: parameters, inputs, default name.

Shapes (all in the validate answer, `ReanaSpecValidation` in openapi.yaml):
- `parameters`: `inputs.parameters` with scalar defaults as they are and anything else
  (lists, dates) as text; at most MAX_PARAMETERS.
- `inputs`: `{files, directories, fileCount, bytes, missing, ignored, ignoredCount}`: the
  declared inputs and, for those found inside the spec's folder (symlinks resolved), how many
  files and bytes a run would upload, and what .gitignore / .reanaignore leave out of the
  directories (`ignore_files`). Walking stops after MAX_FILES files, so a huge directory
  costs bounded time.
- `defaultName`: the workflow name `POST /reana/run` uses when none is given.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from ..ignore_files import IgnoreRules
from ..local_tree import walk_files

MAX_PARAMETERS = 200
MAX_LISTED = 200
MAX_FILES = 100_000


def parameters_of(data: Any) -> dict[str, Any] | None:
    inputs = data.get("inputs") if isinstance(data, dict) else None
    parameters = inputs.get("parameters") if isinstance(inputs, dict) else None
    if not isinstance(parameters, dict):
        return None
    result: dict[str, Any] = {}
    for name, value in list(parameters.items())[:MAX_PARAMETERS]:
        if value is None or isinstance(value, (str, int, float, bool)):
            result[str(name)] = value
        else:
            result[str(name)] = str(value)
    return result


def _listed(inputs: dict[str, Any], key: str) -> list[str]:
    entries = inputs.get(key)
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, str)]


def inputs_of(data: Any, folder: Path) -> dict[str, Any] | None:
    """Count and size the declared inputs below `folder`; blocking (call off the loop)."""
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if not isinstance(inputs, dict):
        return None
    files, directories = _listed(inputs, "files"), _listed(inputs, "directories")
    base = folder.resolve()
    count = size = 0
    missing: list[str] = []

    def inside(relative: str) -> Path | None:
        try:
            target = (base / relative).resolve()
        except (OSError, RuntimeError):
            return None
        return target if target == base or base in target.parents else None

    seen: set[Path] = set()  # a file both listed and inside a listed folder is sent once
    for entry in files:
        target = inside(entry)
        if target is None or not target.is_file():
            missing.append(entry)
            continue
        seen.add(target)
        count += 1
        size += target.stat().st_size
    ignore = IgnoreRules()
    ignore.read("", base)
    for entry in directories:
        target = inside(entry)
        if target is None or not target.is_dir():
            missing.append(entry)
            continue
        arrival = PurePosixPath(os.path.normpath(entry))
        for parent in reversed(list(arrival.parents)[:-1]):
            ignore.read(parent.as_posix(), base / parent)

        def arriving(path: Path, at: Path = target, under: PurePosixPath = arrival) -> str:
            return (under / path.relative_to(at)).as_posix().removesuffix("/.")

        # A user's tree may be any depth: walked without recursion, and no further than needed.
        for path in walk_files(
            target,
            MAX_FILES - count,
            entering=lambda folder: ignore.read(arriving(folder), folder),
            skip=lambda path, is_dir: ignore.excludes(arriving(path), is_dir),
        ):
            if path not in seen:
                seen.add(path)
                count += 1
                size += path.stat().st_size
    return {
        "files": files[:MAX_LISTED],
        "directories": directories[:MAX_LISTED],
        "fileCount": count,
        "bytes": size,
        "missing": missing[:MAX_LISTED],
        "ignored": ignore.ignored[:MAX_LISTED],
        "ignoredCount": ignore.ignored_count,
    }
