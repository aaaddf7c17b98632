"""The openBIS datasets a REANA run takes as inputs, each mapped to a workspace folder.

Checked before the run job exists: the body's shape, each dataset looked up through pybis
(it exists, holds files, is not archived), and the folders: safe workspace paths, none
equal to or inside another, none in the record's own `provenance/` folder. Clashes with the
files uploaded from the spec's folder are checked once those are known (the job's load
step), still before anything is created on REANA.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..errors import Conflict, InvalidInput, NotFound
from ..openbis.download import DatasetListing, list_dataset, local_name
from ..reana.workspace import check_remote_path

#: The workspace folder of the provenance record; no input may land there.
RECORD_FOLDER = "provenance"
#: Where inputs go by default: `inputs/<dataset name or code>/`.
DEFAULT_PARENT = "inputs"
UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


@dataclass(frozen=True)
class InputRequest:
    """One entry of `openbisInputs`: which dataset, from which connection, into which folder."""

    connection: str
    perm_id: str
    folder: str | None = None


@dataclass(frozen=True)
class StagedFile:
    """A file of an input dataset and its name in the workspace."""

    remote: str
    workspace_name: str
    size: int
    crc32: int | None
    checksum: str | None
    checksum_type: str | None


@dataclass(frozen=True)
class ResolvedInput:
    """An input dataset as openBIS described it, with where each of its files goes."""

    connection: str
    server: str
    listing: DatasetListing
    folder: str
    files: tuple[StagedFile, ...]

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)


def checked_inputs(requests: Sequence[InputRequest]) -> tuple[InputRequest, ...]:
    """`openbisInputs` with each folder made a plain workspace path (the contract checked
    the shape: at most 50 entries, each naming its connection and permId)."""
    return tuple(
        InputRequest(
            r.connection,
            r.perm_id,
            check_remote_path(r.folder, f"openbisInputs[{i}].folder") if r.folder else None,
        )
        for i, r in enumerate(requests)
    )


def default_folder(listing: DatasetListing) -> str:
    """`inputs/<name or code>`: what openBIS users know the dataset by, made one safe name."""
    name = UNSAFE_IN_NAME.sub("_", (listing.name or "").strip()).strip(". ") or listing.perm_id
    return f"{DEFAULT_PARENT}/{name[:120]}"


def resolve(
    listing: DatasetListing, request: InputRequest, server: str, index: int
) -> ResolvedInput:
    """Map the dataset's files below its folder (openBIS' `original/` dropped, as downloads
    do); empty folders are left out, since a REANA workspace holds only files."""
    folder = request.folder or default_folder(listing)
    files = []
    for remote in listing.files:
        if remote.is_dir:
            continue
        name = local_name(remote.path)
        try:
            relative = check_remote_path(name, f"openbisInputs[{index}]")
        except InvalidInput:
            raise InvalidInput(
                f"Dataset {listing.perm_id} has a file name that cannot be a workspace path",
                field=f"openbisInputs[{index}].permId",
            ) from None
        files.append(
            StagedFile(
                remote=remote.path,
                workspace_name=f"{folder}/{relative}",
                size=remote.size,
                crc32=remote.crc32,
                checksum=remote.checksum,
                checksum_type=remote.checksum_type,
            )
        )
    if not files:
        raise InvalidInput(
            f"Dataset {listing.perm_id} has no files to give the run",
            field=f"openbisInputs[{index}].permId",
        )
    return ResolvedInput(request.connection, server, listing, folder, tuple(files))


def check_folders(inputs: Sequence[ResolvedInput]) -> None:
    """No two inputs in one folder or one inside another; none in `provenance/`."""
    for index, item in enumerate(inputs):
        field = f"openbisInputs[{index}].folder"
        if _overlaps(item.folder, RECORD_FOLDER):
            raise Conflict(
                f"'{item.folder}' is the provenance record's folder; choose another folder",
                field=field,
                code="name_clash",
            )
        for other in inputs[:index]:
            if _overlaps(item.folder, other.folder):
                raise Conflict(
                    f"Datasets {other.listing.perm_id} and {item.listing.perm_id} would both "
                    f"go into '{item.folder}'; give each a folder of its own",
                    field=field,
                    code="name_clash",
                )


def check_against_uploads(inputs: Sequence[ResolvedInput], uploaded: Sequence[str]) -> None:
    """An input folder must not hold or be a file sent from the spec's folder."""
    for index, item in enumerate(inputs):
        for name in uploaded:
            if _overlaps(item.folder, name):
                raise Conflict(
                    f"'{name}' from the specification's folder would land in the folder of "
                    f"dataset {item.listing.perm_id} ('{item.folder}'); choose another folder",
                    field=f"openbisInputs[{index}].folder",
                    code="name_clash",
                )


def _overlaps(a: str, b: str) -> bool:
    pa, pb = PurePosixPath(a), PurePosixPath(b)
    return pa == pb or pa in pb.parents or pb in pa.parents


async def resolve_all(openbis: Any, requests: Sequence[InputRequest]) -> list[ResolvedInput]:
    """Look every dataset up through pybis (`OpenbisService.call`), 4xx for what is wrong."""
    resolved = []
    for index, request in enumerate(requests):
        try:
            server = openbis.get(request.connection).url
        except NotFound as exc:
            raise NotFound(exc.message, field=f"openbisInputs[{index}].connection") from None
        try:
            listing = await openbis.call(request.connection, list_dataset, request.perm_id)
        except (InvalidInput, NotFound, Conflict) as exc:
            raise type(exc)(
                exc.message, field=f"openbisInputs[{index}].permId", code=exc.code
            ) from None
        resolved.append(resolve(listing, request, server, index))
    check_folders(resolved)
    return resolved
