"""Confinement of every user-supplied path to the Jupyter server's root directory.

All routes that name a file go through `confine`, so there is one place to get right:
the candidate is resolved with symlinks followed (also for parts that do not exist
yet) and must stay inside the resolved root. Anything else raises InvalidInput before
a single byte is read or written. Files and folders the extension picks itself (the
download manifest, staging folders, requirement files, mount points) go through
`confine_own`, right before each use: a `.openbis` that is a link out of the root is
refused like a user's `../`.

The file system of the Jupyter server can refuse too (read-only, full, no permission,
name too long, something in the way): `local_problem` turns such an OSError into a
LocalProblem naming the local path, and `check_writable` finds most of them before a
job starts.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from .errors import InvalidInput, LocalProblem
from .sizes import human_size

MAX_PATH_LENGTH = 4096
MAX_NAME_LENGTH = 255
#: Bytes of an absolute path the kernel takes in one call (Linux PATH_MAX, its NUL included).
PATH_MAX = 4096
#: Folders a path may go down. File systems have no depth limit of their own, but every
#: level costs each lookup, link check and walk; real trees stay far below this.
MAX_DEPTH = 128
#: Percent-encoded '.', '/', '\\' and '%': a literal name never needs them, an attack often does
#: (a path may be decoded once more by a proxy or by code we do not own).
ENCODED_TRICKS = re.compile(r"%(2e|2f|5c|25)", re.IGNORECASE)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def confine(root_dir: str | os.PathLike[str], relative: object, *, field: str = "path") -> Path:
    """Resolve `relative` (an API path, '/'-separated, relative to root) inside `root_dir`.

    Absolute paths, '..' (and names starting with it), a leading '~', NUL and control
    characters, backslashes, percent-encoded dots and slashes, overlong names, paths deeper
    than MAX_DEPTH or longer than the file system takes with the root in front, and
    symlinks leading outside are all refused with InvalidInput(field=field), before
    anything is looked up. The empty string and '.' mean the root itself.
    """
    parts = path_parts(relative, field)
    root = Path(root_dir).resolve(strict=True)
    check_fits(root, parts, field)
    candidate = _resolved(root, parts)
    if not candidate.is_relative_to(root):  # one comparison; `.parents` costs a Path per level
        raise InvalidInput(
            f"'{field}' points outside the server root", field=field, code="outside_root"
        )
    return candidate


def path_parts(relative: object, field: str) -> list[str]:
    """The names of an API path, each checked as `confine` does (nothing looked up)."""
    if not isinstance(relative, str):
        raise InvalidInput(f"'{field}' must be a string", field=field)
    _check_text(relative, field)
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
    return parts


def plain_name(value: str, field: str) -> str:
    """One folder or file name under the rules `confine` applies to each name of a path:
    no separator, not '.', nothing starting with '..', no control or percent-encoded path
    characters, at most MAX_NAME_LENGTH bytes. "" stays "" (no name)."""
    if value == "":
        return value
    _check_text(value, field)
    if "/" in value or value == "." or value.startswith(".."):
        raise InvalidInput(
            f"'{field}' must be one folder name (no '/', not '.' or '..')", field=field
        )
    if len(value.encode("utf-8", "surrogatepass")) > MAX_NAME_LENGTH:
        raise InvalidInput(f"'{field}' is longer than {MAX_NAME_LENGTH} bytes", field=field)
    return value


def _check_text(value: str, field: str) -> None:
    if "\x00" in value:
        raise InvalidInput(f"'{field}' contains a NUL byte", field=field)
    if CONTROL_CHARS.search(value):
        raise InvalidInput(f"'{field}' contains control characters", field=field)
    if ENCODED_TRICKS.search(value):
        raise InvalidInput(f"'{field}' contains percent-encoded path characters", field=field)
    if "\\" in value:
        raise InvalidInput(f"'{field}' must use '/' as separator", field=field)


def fit_problem(root: Path, parts: list[str]) -> str | None:
    """Why `root/parts` cannot be a path of this file system (too deep, too long), or None."""
    if len(parts) > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} folders deep"
    length = len(os.fsencode(root)) + sum(
        len(p.encode("utf-8", "surrogatepass")) + 1 for p in parts
    )
    if length >= PATH_MAX:
        return (
            f"is too long for the file system: {length} bytes with the server root in front, "
            f"at most {PATH_MAX - 1}"
        )
    return None


def check_fits(root: Path, parts: list[str], field: str) -> None:
    problem = fit_problem(root, parts)
    if problem is not None:
        raise InvalidInput(f"'{field}' {problem}", field=field)


def _resolved(root: Path, parts: list[str]) -> Path:
    """`root/parts` with symlinks resolved, like `Path.resolve(strict=False)`, but in time
    linear in what exists: `resolve` looks up every remaining name after a missing one (a
    2000-level path that does not exist cost 2000 lookups), though names below a missing
    one cannot be links. Only the existing part is resolved; the rest is joined as written
    ('..' and '.' were refused or dropped before)."""
    existing = len(parts)
    walked = str(root)
    for index, part in enumerate(parts):
        walked = f"{walked}/{part}"
        try:
            os.lstat(walked)
        except (FileNotFoundError, NotADirectoryError):
            existing = index
            break
        except OSError:
            break  # a loop or another failure: `resolve` reports it as it always has
    head = root.joinpath(*parts[:existing]).resolve(strict=False)
    return head.joinpath(*parts[existing:])


def confine_own(root_dir: str | os.PathLike[str], path: Path, *, field: str) -> Path:
    """`path` (absolute, chosen by the extension below a confined folder) resolved, if it
    stays inside the root with symlinks followed; else InvalidInput(field=field).

    Call it right before the file is read or written, not only when the request arrives:
    a link planted in between must not redirect the extension's own bookkeeping.
    """
    root = Path(root_dir).resolve(strict=True)
    candidate = Path(path).resolve(strict=False)
    if candidate != root and root not in candidate.parents:
        shown = _shown(root, Path(os.path.abspath(path)))
        raise InvalidInput(
            f"'{shown}' leads outside the server root (a link?); the extension will not read or"
            " write there",
            field=field,
            code="outside_root",
        )
    return candidate


def to_api_path(root_dir: str | os.PathLike[str], absolute: Path) -> str:
    """The '/'-separated path relative to root that the frontend shows and sends back."""
    root = Path(root_dir).resolve(strict=True)
    return absolute.resolve().relative_to(root).as_posix() if absolute != root else ""


#: errno -> (code, what the Jupyter server's file system said, in words).
LOCAL_CAUSES: dict[int, tuple[str, str]] = {
    errno.EROFS: ("local_read_only", "is on a read-only file system"),
    errno.EACCES: ("local_permission", "may not be read or written (permission denied)"),
    errno.EPERM: ("local_permission", "may not be changed (operation not permitted)"),
    errno.ENOSPC: ("local_disk_full", "cannot be written: the disk is full"),
    errno.EDQUOT: ("local_disk_full", "cannot be written: the disk quota is exhausted"),
    errno.ENAMETOOLONG: ("local_name_too_long", "has a name too long for the file system"),
    errno.EEXIST: ("local_in_the_way", "is taken: a file, folder or link is in the way"),
    errno.ENOTDIR: ("local_in_the_way", "cannot be used: a file is in the way of a folder"),
    errno.EISDIR: ("local_in_the_way", "cannot be used: a folder is in the way of a file"),
    errno.ELOOP: ("local_in_the_way", "cannot be used: a link is in the way"),
    errno.ENOTEMPTY: ("local_in_the_way", "cannot be replaced: it is a folder that is not empty"),
}
#: Longest path a message shows (a name too long for the disk is long by definition).
SHOWN_LENGTH = 160
#: Hidden working folders whose inner names mean nothing to a user: shown as their parent.
STAGING_MARKERS = (".openbis-partial-", ".reana-download-")


def local_problem(
    exc: OSError, root_dir: str | os.PathLike[str] | None, path: Path | str | None = None
) -> LocalProblem:
    """The OSError of a local read or write as a LocalProblem naming the place (relative to
    the root when inside it, else only its last name) and the cause, with a stable code."""
    where = path if path is not None else exc.filename
    shown = "a local file"
    if where is not None:
        absolute = Path(os.path.abspath(os.fsdecode(where)))
        root = Path(root_dir).resolve() if root_dir is not None else None
        text = _shown(root, absolute)
        shown = f"'{text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + '...'}'"
    code, cause = LOCAL_CAUSES.get(
        exc.errno or 0,
        ("local_io", f"could not be read or written ({exc.strerror or type(exc).__name__})"),
    )
    return LocalProblem(f"{shown} on the Jupyter server {cause}", code=code)


def _shown(root: Path | None, absolute: Path) -> str:
    """What a message calls a local path: relative to the root, never a staging name."""
    parts = absolute.parts
    for index, part in enumerate(parts):
        if part.startswith(STAGING_MARKERS):
            absolute = Path(*parts[:index])
            break
    if root is not None:
        if absolute == root:
            return "the server root"
        if root in absolute.parents:
            return absolute.relative_to(root).as_posix()
    return absolute.name or str(absolute)


def check_writable(
    root_dir: str | os.PathLike[str],
    folder: Path,
    *,
    field: str,
    needed_bytes: int | None = None,
) -> None:
    """Refuse (LocalProblem, a 4xx) before a job starts when `folder`, or the nearest
    existing folder above it, cannot take new files: read-only, no permission, or fewer
    free bytes than `needed_bytes`. Blocking (it writes a probe file): call it in a thread.

    `os.access` alone is not enough: root passes it on most file systems, and FUSE or NFS
    may refuse later. So a real file is created and removed again.
    """
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not os.access(existing, os.W_OK | os.X_OK):
            read_only = os.statvfs(existing).f_flag & os.ST_RDONLY
            raise OSError(errno.EROFS if read_only else errno.EACCES, "not writable", existing)
        fd, probe = tempfile.mkstemp(prefix=".reana-openbis-lab-probe-", dir=existing)
        os.close(fd)
        os.unlink(probe)
        if needed_bytes:
            stats = os.statvfs(existing)
            free = stats.f_bavail * stats.f_frsize
            if free < needed_bytes:
                raise LocalProblem(
                    f"'{_shown(Path(root_dir).resolve(), existing)}' on the Jupyter server has"
                    f" {human_size(free)} free, {human_size(needed_bytes)} are needed",
                    field=field,
                    code="local_disk_full",
                )
    except OSError as exc:
        problem = local_problem(exc, root_dir, existing)
        problem.field = field
        raise problem from None
