"""`.openbis/datasets.json`: which openBIS datasets were downloaded into a folder.

The upload form reads it to propose those datasets as parents of a new one, so that a
result uploaded from an analysis folder is linked to the data it was computed from.
One entry per (server URL, permId); downloading the same dataset again refreshes it.
The file holds no secret: only the server URL, never a token or user password.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import TypedDict

from .atomic import write_json_atomically

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
    files: list[str]
    downloaded: str


def manifest_path(folder: Path) -> Path:
    return folder / MANIFEST_DIR / MANIFEST_NAME


def read_entries(folder: Path) -> list[ManifestEntry]:
    """The folder's entries; a missing or unreadable manifest simply means none."""
    try:
        document = json.loads(manifest_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = document.get("datasets") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("permId"), str)]


def record_download(
    folder: Path,
    *,
    connection: str,
    url: str,
    perm_id: str,
    dataset_type: str | None,
    files: list[str],
) -> ManifestEntry:
    """Add or refresh the dataset's entry; files of earlier partial downloads are kept."""
    with _write_lock:
        entries = read_entries(folder)
        same = [e for e in entries if (e.get("url"), e.get("permId")) == (url, perm_id)]
        earlier = {f for e in same for f in e.get("files") or [] if isinstance(f, str)}
        entry: ManifestEntry = {
            "connection": connection,
            "url": url,
            "permId": perm_id,
            "type": dataset_type,
            "files": sorted(earlier | set(files)),
            "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        kept = [e for e in entries if e not in same] + [entry]
        write_json_atomically(
            manifest_path(folder), {"version": MANIFEST_VERSION, "datasets": kept}
        )
    return entry
