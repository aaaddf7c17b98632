"""The specification bundle a bundle server (REANA 0.95.0a7+) creates and validates runs from.

An uncompressed ZIP of the spec (always named `reana.yaml` inside) and the files it
declares for validation, chosen as reana-commons 0.95.0a26 chooses them:
`workflow.file` (a CWL file without its `#fragment`), `workflow.files` and
`workflow.directories`, the parameter file (`workflow.parameters.file`, or for CWL and
Snakemake the legacy `inputs.parameters.input`), and, for a workflow file declared without
`workflow.files`/`directories`, the legacy scope `inputs.files`/`inputs.directories`.
Capped as reana-client caps it (1000 files, 100 MiB); beyond, the run is refused before
anything is sent. Blocking: call in a thread.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InvalidInput

CANONICAL_NAME = "reana.yaml"
MAX_FILES = 1000
MAX_BYTES = 100 * 1024 * 1024
#: Engines whose `inputs.parameters.input` names a parameter file.
PARAMETER_FILE_ENGINES = ("cwl", "snakemake")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _paths(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def declared_members(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(entry, where) for every path the spec declares for validation, in spec order."""
    workflow = _mapping(spec.get("workflow"))
    inputs = _mapping(spec.get("inputs"))
    found: list[tuple[str, str]] = []
    workflow_file = workflow.get("file")
    if isinstance(workflow_file, str) and workflow_file:
        if workflow.get("type") == "cwl":
            workflow_file = workflow_file.partition("#")[0]
        found.append((workflow_file, "workflow.file"))
    found += [(p, "workflow.files") for p in _paths(workflow.get("files"))]
    found += [(p, "workflow.directories") for p in _paths(workflow.get("directories"))]
    legacy_scope = (
        workflow.get("file") is not None
        and "files" not in workflow
        and "directories" not in workflow
    )
    if legacy_scope:
        found += [(p, "inputs.files") for p in _paths(inputs.get("files"))]
        found += [(p, "inputs.directories") for p in _paths(inputs.get("directories"))]
    parameter_file = _mapping(workflow.get("parameters")).get("file")
    if parameter_file is None and workflow.get("type") in PARAMETER_FILE_ENGINES:
        parameter_file = _mapping(inputs.get("parameters")).get("input")
    if isinstance(parameter_file, str) and parameter_file:
        found.append((parameter_file, "workflow.parameters.file"))
    return found


def _files_below(folder: Path, entry: str, where: str) -> list[tuple[str, Path]]:
    """The regular files an entry names, by their path relative to `folder`."""
    relative = PurePosixPath(os.path.normpath(entry))
    if relative.is_absolute() or relative.parts[:1] == ("..",) or str(relative) == ".":
        raise InvalidInput(
            f"{where}: '{entry}' is outside the specification's folder", field="path"
        )
    target = folder / relative
    resolved = target.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise InvalidInput(
            f"{where}: '{entry}' leads outside the specification's folder", field="path"
        )
    if resolved.is_file():
        return [(relative.as_posix(), resolved)]
    if resolved.is_dir():
        return [
            (path.relative_to(folder).as_posix(), path)
            for path in sorted(target.rglob("*"))
            if path.is_file() and path.resolve().is_relative_to(folder.resolve())
        ]
    raise InvalidInput(f"{where}: '{entry}' does not exist", field="path")


def build_bundle(spec_path: Path, spec: dict[str, Any]) -> bytes:
    """The bundle's bytes; InvalidInput (field `path`, code `bundle_too_large`) past the caps."""
    folder = spec_path.parent
    members: dict[str, Path] = {CANONICAL_NAME: spec_path}
    for entry, where in declared_members(spec):
        for name, path in _files_below(folder, entry, where):
            members.setdefault(name, path)
            if len(members) > MAX_FILES:
                raise InvalidInput(
                    f"The specification bundle would hold more than {MAX_FILES} files "
                    "(REANA's limit); declare fewer workflow files",
                    field="path",
                    code="bundle_too_large",
                )
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(members):
            total += members[name].stat().st_size
            if total > MAX_BYTES:
                raise InvalidInput(
                    f"The specification bundle would exceed {MAX_BYTES // 2**20} MiB "
                    "(REANA's limit); keep large data out of the declared workflow files",
                    field="path",
                    code="bundle_too_large",
                )
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100600 << 16
            archive.writestr(info, members[name].read_bytes())
    return buffer.getvalue()
