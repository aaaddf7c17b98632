"""Hostile path payloads shared by every path-taking route's confinement tests.

Each payload of HOSTILE_PATHS must be answered with a 4xx and must not cause anything to be
read or written outside the server root. ODD_NAMES are legal POSIX names that look like
something else (look-alike dots and slashes, bidi controls, trailing dots and spaces): a
route may accept them, but whatever it makes of them must stay inside the root. CORPUS is
both, for the hardening suite (tests/hardening/test_confinement.py), which sends it to
every path-taking field of every route. `plant_escape_symlinks` adds the symlink cases,
which need a real root directory and a real outside directory to point at.
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

#: More ways out: other encodings of `..` and `/`, control characters, home and variables.
MORE_ESCAPES: list[str] = [
    "..%5coutside.txt",
    "%2e%2e%5coutside.txt",
    ".%2e/outside.txt",
    "%2e./outside.txt",
    "%c0%ae%c0%ae/outside.txt",
    "%c0%ae%c0%ae%c0%afoutside.txt",
    "%e0%80%ae%e0%80%ae/outside.txt",
    "%252e%252e%252foutside.txt",
    "..//outside.txt",
    "a/./././../../outside.txt",
    "/./../outside.txt",
    "\\..\\outside.txt",
    "..\\",
    "..%00/outside.txt",
    "\x00",
    "ok.txt\x00../../outside.txt",
    "\t../outside.txt",
    "a/\r/../../outside.txt",
    "file:///etc/passwd",
    "~",
    "$HOME/outside.txt",
    "${HOME}/outside.txt",
    "../" * 1000 + "etc/passwd",
    "/" * 5000,
    "c" * 256,
]

#: Legal names that look like a way out or like another name; accepted only if they stay inside.
ODD_NAMES: list[str] = [
    "...",
    "....",
    "\uff0e\uff0e/outside.txt",
    "\uff0e\uff0e\uff0foutside.txt",
    "..\u2215outside.txt",
    "..\u2044outside.txt",
    "\u2024\u2024/outside.txt",
    "\u2025/outside.txt",
    "\u202e../outside.txt",
    "ok\u202etxt.exe",
    "\u200f../outside.txt",
    "\u2066..\u2069/outside.txt",
    "\u200b../outside.txt",
    "\ufeff../outside.txt",
    "outside.txt.",
    "outside.txt ",
    "trailing dots...",
    " ../outside.txt",
    ".. /outside.txt",
    "../ outside.txt",
    "... /outside.txt",
    "CON",
    "nul.txt",
]

#: Everything at once, for the suite that attacks every path-taking field (>= 60 payloads).
CORPUS: list[str] = [*HOSTILE_PATHS, *MORE_ESCAPES, *ODD_NAMES]


def absolute_escapes(outside: Path) -> list[str]:
    """Absolute paths into `outside` (and new names there), which exists only at test time."""
    return [
        str(outside),
        str(outside / "secret.txt"),
        str(outside / "new-file.txt"),
        str(outside / "new-folder") + "/",
        f"{outside}/../{outside.name}/secret.txt",
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
