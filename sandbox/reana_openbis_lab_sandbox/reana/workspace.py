"""Workspace file operations as reana-server performs them; blocking, so callers run them in a thread."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wcmatch import glob as wcglob

from .model import TIME_FORMAT, size_view


class BadPath(Exception):
    """A workspace path that is absolute after normalising, or climbs out with `..`."""


def resolve(workspace: Path, name: str) -> Path:
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise BadPath(f'Path "{name}" is not valid: it cannot contain ".." or be empty.')
    return workspace.joinpath(*parts)


def all_files(workspace: Path) -> list[tuple[str, os.stat_result]]:
    found: list[tuple[str, os.stat_result]] = []
    for root, dirs, files in os.walk(workspace):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.name.startswith(".upload-"):
                continue
            found.append((path.relative_to(workspace).as_posix(), path.stat()))
    return found


def file_view(name: str, stat: os.stat_result) -> dict[str, Any]:
    modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc).strftime(TIME_FORMAT)
    return {"name": name, "size": size_view(stat.st_size), "last-modified": modified}


def list_files(
    workspace: Path, *, pattern: str | None, search: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Files (never directories), optionally narrowed by a glob and by substring filters per column."""
    views = [file_view(n, s) for n, s in all_files(workspace)]
    if pattern:
        glob = glob_regex(pattern)
        views = [
            v
            for v in views
            if glob.match(v["name"]) or v["name"].startswith(pattern.rstrip("/") + "/")
        ]
    for column, needles in search.items():
        views = [v for v in views if any(n.lower() in _column_text(v, column) for n in needles)]
    return views


def _column_text(view: dict[str, Any], column: str) -> str:
    value = view.get(column, "")
    if isinstance(value, dict):
        return f"{value['raw']} {value['human_readable']}".lower()
    return str(value).lower()


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A workspace glob as reana-commons' `workspace.glob` matches it (wcmatch, `**`, dot files)."""
    include, exclude = wcglob.translate(pattern, flags=wcglob.GLOBSTAR | wcglob.DOTGLOB)
    if len(include) != 1 or exclude:
        raise BadPath("The provided pattern is not valid")
    return re.compile(include[0])


def matching(workspace: Path, name: str) -> list[Path]:
    """The one path `name` points at, or every file a glob matches."""
    if any(c in name for c in "*?["):
        glob = glob_regex(name.lstrip("/"))
        return [workspace / n for n, _ in all_files(workspace) if glob.match(n)]
    target = resolve(workspace, name)
    return [target] if target.exists() else []


def zip_into(workspace: Path, paths: list[Path], archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in paths:
            if path.is_dir():
                for root, _dirs, files in os.walk(path):
                    for name in files:
                        full = Path(root, name)
                        out.write(full, full.relative_to(workspace).as_posix())
            else:
                out.write(path, path.relative_to(workspace).as_posix())


def delete(workspace: Path, name: str) -> dict[str, Any]:
    deleted: dict[str, dict[str, int]] = {}
    failed: dict[str, dict[str, str]] = {}
    for path in matching(workspace, name):
        relative = path.relative_to(workspace).as_posix()
        try:
            if path.is_dir():
                size = sum(s.st_size for _n, s in all_files(path))
                shutil.rmtree(path)
            else:
                size = path.stat().st_size
                path.unlink()
            deleted[relative] = {"size": size}
        except OSError as exc:
            failed[relative] = {"error": exc.strerror or str(exc)}
    return {"deleted": deleted, "failed": failed}


def disk_usage(
    workspace: Path, *, summarize: bool, search: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Like `du`: every file and directory with its total size, or only the workspace total."""
    totals: dict[str, int] = {"": 0}
    for name, stat in all_files(workspace):
        parts = name.split("/")
        totals[name] = stat.st_size
        for depth in range(len(parts)):
            key = "/".join(parts[:depth])
            totals[key] = totals.get(key, 0) + stat.st_size
    rows = [("", totals[""])] if summarize else sorted((k, v) for k, v in totals.items() if k)
    views = [{"name": f"/{k}" if k else "", "size": size_view(v)} for k, v in rows]
    for column, needles in search.items():
        views = [v for v in views if any(n.lower() in _column_text(v, column) for n in needles)]
    return views


def workspace_size(workspace: Path) -> int:
    return sum(s.st_size for _n, s in all_files(workspace)) if workspace.exists() else 0


def move(workspace: Path, source: str, target: str) -> None:
    origin = resolve(workspace, source)
    destination = resolve(workspace, target)
    if not origin.exists():
        raise FileNotFoundError(source)
    if destination.is_dir():
        destination = destination / origin.name
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(origin, destination)


def prune(workspace: Path, keep: list[str]) -> int:
    """Delete every file outside the `keep` paths (files or folders); returns how many went."""
    kept = [k.strip("/") for k in keep if k.strip("/")]
    removed = 0
    for name, _stat in all_files(workspace):
        if not any(name == k or name.startswith(f"{k}/") for k in kept):
            (workspace / name).unlink()
            removed += 1
    for root, _dirs, _files in sorted(os.walk(workspace), key=lambda entry: -len(entry[0])):
        if Path(root) != workspace and not any(Path(root).iterdir()):
            Path(root).rmdir()
    return removed
