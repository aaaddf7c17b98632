"""What a run dialog needs from a spec besides the verdict: parameters, inputs, default name.

Shapes (all in the validate answer, `ReanaSpecValidation` in openapi.yaml):
- `parameters`: `inputs.parameters` with scalar defaults as they are and anything else
  (lists, dates) as text; at most MAX_PARAMETERS.
- `inputs`: `{files, directories, fileCount, bytes, missing}`: the declared inputs and, for
  those found inside the spec's folder (symlinks resolved), how many files and bytes a run
  would upload. Walking stops after MAX_FILES files, so a huge directory costs bounded time.
- `defaultName`: the workflow name `POST /reana/run` uses when none is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

    for entry in files:
        target = inside(entry)
        if target is None or not target.is_file():
            missing.append(entry)
            continue
        count += 1
        size += target.stat().st_size
    for entry in directories:
        target = inside(entry)
        if target is None or not target.is_dir():
            missing.append(entry)
            continue
        # A user's tree may be any depth: walked without recursion, and no further than needed.
        for path in walk_files(target, MAX_FILES - count):
            count += 1
            size += path.stat().st_size
    return {
        "files": files[:MAX_LISTED],
        "directories": directories[:MAX_LISTED],
        "fileCount": count,
        "bytes": size,
        "missing": missing[:MAX_LISTED],
    }
