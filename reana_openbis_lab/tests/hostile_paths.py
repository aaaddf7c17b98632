"""Hostile path payloads shared by every path-taking route's confinement tests.

Each payload must be answered with a 4xx and must not cause anything to be read or
written outside the server root. `plant_escape_symlinks` adds the symlink cases, which
need a real root directory and a real outside directory to point at.
"""

from __future__ import annotations

import os
from pathlib import Path

HOSTILE_PATHS: list[str] = [
    "..",
    "../",
    "../outside.txt",
    "../../etc/passwd",
    "a/../../outside.txt",
    "a/b/../../../outside.txt",
    "./../outside.txt",
    "/etc/passwd",
    "/",
    "//etc/passwd",
    "/tmp/outside.txt",
    "..\\outside.txt",
    "a\\..\\..\\outside.txt",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "\\\\server\\share\\file",
    "%2e%2e/outside.txt",
    "%2e%2e%2foutside.txt",
    "..%2foutside.txt",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "a/%2e%2e/%2e%2e/outside.txt",
    "..%252foutside.txt",
    "file\x00.txt",
    "../outside.txt\x00.ipynb",
    "a" * 5000,
    ("b" * 300) + "/file.txt",
    "x/" * 3000,
    "....//....//outside.txt",
    "..;/outside.txt",
    "~/outside.txt",
    "~root/.bashrc",
    "escape-link/secret.txt",
    "escape-link",
    "dir-link-out/inner.txt",
    "nested/escape-link/secret.txt",
]

#: Payloads that are legal names inside root on POSIX but must never reach outside it.
SYMLINK_PAYLOADS = {
    "escape-link/secret.txt",
    "escape-link",
    "dir-link-out/inner.txt",
    "nested/escape-link/secret.txt",
}


def plant_escape_symlinks(root: Path, outside: Path) -> None:
    """Create symlinks inside `root` that point to `outside` (a directory with a secret file)."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("secret")
    (outside / "inner.txt").write_text("inner")
    (root / "nested").mkdir(exist_ok=True)
    for link in (root / "escape-link", root / "dir-link-out", root / "nested" / "escape-link"):
        if not link.is_symlink():
            os.symlink(outside, link)


def snapshot(directory: Path) -> dict[str, tuple[int, float]]:
    """(size, mtime) of every file below `directory`, to prove that nothing was written there."""
    result = {}
    for path in directory.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            result[str(path.relative_to(directory))] = (stat.st_size, stat.st_mtime)
    return result
