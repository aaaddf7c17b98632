"""`.openbis/datasets.json`: which openBIS datasets were downloaded into a folder.

The upload form reads it to propose those datasets as parents of a new one, so that a
result uploaded from an analysis folder is linked to the data it was computed from.
One entry per (server URL, permId); downloading the same dataset again refreshes it.
The file holds no secret: only the server URL, never a token or user password.

The extension picks this path itself, so it is confined like a user's: a `.openbis` (or a
`datasets.json`) that is a link leading out of the root is refused with InvalidInput
before a download starts, again right before the file is written, and by the manifest
route, so nothing is ever read or written outside the root through it. The write itself
happens through a descriptor of the (resolved) `.openbis` folder opened without following
a link, and the temporary file is created without following one either.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any, TypedDict

from ..errors import LocalProblem
from ..paths import confine_own, local_problem

MANIFEST_DIR = ".openbis"
MANIFEST_NAME = "datasets.json"
MANIFEST_VERSION = 1

#: Two downloads into one folder may finish at the same moment; read-modify-write under a lock.
_write_lock = threading.Lock()


class ManifestEntry(TypedDict):
    connection: str
    url: str
    permId: str
    type: str | None
    #: The dataset's NAME property, what people know it by (the upload dialog's parents).
    name: str | None
    files: list[str]
    downloaded: str


def manifest_path(folder: Path) -> Path:
    return folder / MANIFEST_DIR / MANIFEST_NAME


def confined_manifest(root_dir: Path, folder: Path, *, field: str) -> Path:
    """The manifest's resolved path, if it and its folder stay inside the root.

    InvalidInput (code outside_root) for a link out of the root; LocalProblem (code
    local_in_the_way) when a file sits where the `.openbis` folder must be, or a folder
    where the manifest file must be. Blocking (it stats): call it in a thread.
    """
    directory = confine_own(root_dir, folder / MANIFEST_DIR, field=field)
    path = confine_own(root_dir, directory / MANIFEST_NAME, field=field)
    if directory.exists() and not directory.is_dir():
        raise _in_the_way(folder / MANIFEST_DIR, "a file", field)
    if path.is_dir():
        raise _in_the_way(path, "a folder", field)
    return path


def _in_the_way(path: Path, what: str, field: str) -> LocalProblem:
    return LocalProblem(
        f"'{path.parent.name}/{path.name}' is {what} in the way of the download manifest;"
        " rename or remove it",
        field=field,
        code="local_in_the_way",
    )


def read_entries(root_dir: Path, folder: Path, *, field: str = "path") -> list[dict[str, Any]]:
    """The folder's entries as found on disk (only `permId` is checked: the file may be older
    or edited by hand); a missing or unreadable manifest simply means none, but a manifest
    reached through a link out of the root is refused (InvalidInput)."""
    path = confined_manifest(root_dir, folder, field=field)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = document.get("datasets") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("permId"), str)]


def record_download(
    root_dir: Path,
    folder: Path,
    *,
    connection: str,
    url: str,
    perm_id: str,
    dataset_type: str | None,
    files: list[str],
    name: str | None = None,
) -> ManifestEntry:
    """Add or refresh the dataset's entry; files of earlier partial downloads are kept.

    Raises InvalidInput / LocalProblem (see `confined_manifest`) and the OSError of a write
    the local file system refuses; the caller undoes the download then.
    """
    with _write_lock:
        entries = read_entries(root_dir, folder, field="destination")
        same = [e for e in entries if (e.get("url"), e.get("permId")) == (url, perm_id)]
        earlier = {f for e in same for f in e.get("files") or [] if isinstance(f, str)}
        entry: ManifestEntry = {
            "connection": connection,
            "url": url,
            "permId": perm_id,
            "type": dataset_type,
            "name": name,
            "files": sorted(earlier | set(files)),
            "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        kept = [e for e in entries if e not in same] + [dict(entry)]
        _write(root_dir, folder, {"version": MANIFEST_VERSION, "datasets": kept})
    return entry


def _write(root_dir: Path, folder: Path, document: Any) -> None:
    """Readers see the old or the new document, never half of one, and never a file
    written through a link: `.openbis` is opened with O_NOFOLLOW, the temporary file is
    created with O_EXCL (which does not follow links) and renamed inside that folder."""
    path = confined_manifest(root_dir, folder, field="destination")
    try:
        _write_in(path, document)
    except OSError as exc:  # the local disk refused: name the manifest, not a temporary name
        raise local_problem(exc, root_dir, path) from None


def _write_in(path: Path, document: Any) -> None:
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir()
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    temp_name = f".{MANIFEST_NAME}.{uuid.uuid4().hex}.tmp"
    try:
        fd = os.open(
            temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=directory
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, indent=2, sort_keys=True)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, MANIFEST_NAME, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name, dir_fd=directory)
            raise
    finally:
        os.close(directory)
