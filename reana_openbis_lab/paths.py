"""Confinement of every user-supplied path to the Jupyter server's root directory.

All routes that name a file go through `confine`, so there is one place to get right:
the candidate is resolved with symlinks followed (also for parts that do not exist
yet) and must stay inside the resolved root. Anything else raises InvalidInput before
a single byte is read or written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from .errors import InvalidInput

MAX_PATH_LENGTH = 4096
MAX_NAME_LENGTH = 255
#: Percent-encoded '.', '/', '\\' and '%': a literal name never needs them, an attack often does
#: (a path may be decoded once more by a proxy or by code we do not own).
ENCODED_TRICKS = re.compile(r"%(2e|2f|5c|25)", re.IGNORECASE)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def confine(root_dir: str | os.PathLike[str], relative: object, *, field: str = "path") -> Path:
    """Resolve `relative` (an API path, '/'-separated, relative to root) inside `root_dir`.

    Absolute paths, '..' (and names starting with it), a leading '~', NUL and control
    characters, backslashes, percent-encoded dots and slashes, overlong names and
    symlinks leading outside are all refused with InvalidInput(field=field).
    The empty string and '.' mean the root itself.
    """
    if not isinstance(relative, str):
        raise InvalidInput(f"'{field}' must be a string", field=field)
    if "\x00" in relative:
        raise InvalidInput(f"'{field}' contains a NUL byte", field=field)
    if CONTROL_CHARS.search(relative):
        raise InvalidInput(f"'{field}' contains control characters", field=field)
    if ENCODED_TRICKS.search(relative):
        raise InvalidInput(f"'{field}' contains percent-encoded path characters", field=field)
    if "\\" in relative:
        raise InvalidInput(f"'{field}' must use '/' as separator", field=field)
    if len(relative) > MAX_PATH_LENGTH:
        raise InvalidInput(f"'{field}' is too long", field=field)
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        raise InvalidInput(f"'{field}' must be relative to the server root", field=field)
    parts = [p for p in PurePosixPath(relative).parts if p not in ("", ".")]
    if any(p.startswith("..") for p in parts):
        raise InvalidInput(f"'{field}' must not contain '..'", field=field)
    if parts and parts[0].startswith("~"):
        raise InvalidInput(f"'{field}' must not start with '~'", field=field)
    if any(len(p.encode("utf-8", "surrogatepass")) > MAX_NAME_LENGTH for p in parts):
        raise InvalidInput(f"'{field}' has a name longer than {MAX_NAME_LENGTH} bytes", field=field)
    root = Path(root_dir).resolve(strict=True)
    candidate = root.joinpath(*parts).resolve(strict=False)
    if candidate != root and root not in candidate.parents:
        raise InvalidInput(f"'{field}' points outside the server root", field=field)
    return candidate


def to_api_path(root_dir: str | os.PathLike[str], absolute: Path) -> str:
    """The '/'-separated path relative to root that the frontend shows and sends back."""
    root = Path(root_dir).resolve(strict=True)
    return absolute.resolve().relative_to(root).as_posix() if absolute != root else ""
