"""What a transfer makes of local files and folders: one rule set for every route that sends them.

The openBIS upload (and its notebook inclusion), the REANA workspace upload and the inputs
of `/reana/create` and `/reana/run` all walk the user's selection here, so a symlink, an
empty folder, a FIFO or two files with one name are treated the same way everywhere. The
README section "What transfers do with symlinks, empty folders, name clashes and special
files" is the user's version of these rules:

- a symlink whose target resolves inside the server root is followed, and what arrives
  keeps the LINK's name (`rup/link_in.py -> sub1/run.py` arrives as `link_in.py`; a folder
  link `linked -> ../rup/sub2` arrives as the folder `linked/` holding the target's files);
- a link leading outside the root, a broken link, and a loop (a link to a folder that
  contains it, or links pointing at each other) refuse the whole transfer before it starts,
  naming the link; so do FIFOs, sockets and devices;
- empty folders are items of their own (`LocalItem.source is None`); a destination that
  cannot hold them (a REANA workspace) refuses them by name (`refuse_empty_folders`);
- two different files or folders that would arrive under one name refuse the transfer with
  a 409 naming both; the same file selected twice under one name is sent once;
- inside a selected folder, Jupyter's `.ipynb_checkpoints`, the download manifest folder
  `.openbis` and the extension's own staging folders are not sent (selected on their own,
  they are);
- each file's size and modification time are taken here; `assert_unchanged` fails a
  transfer that finds them different while sending.

Everything here reads the file system and must run in a worker thread.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Conflict, InvalidInput
from .ignore_files import IgnoreRules
from .leftovers import STAGING_PREFIXES
from .paths import confine

#: Folder names not sent from inside a selected folder (Jupyter autosaves, download manifest).
SKIPPED_DIRS = (".ipynb_checkpoints", ".openbis")
#: Hidden staging folders of unfinished downloads (openBIS and REANA).
SKIPPED_PREFIXES = STAGING_PREFIXES
#: Problems named in one refusal before "and N more".
MAX_NAMED = 5
#: Characters of one named path in a message (its end, where the distinguishing names are).
MAX_NAMED_CHARS = 300
#: Problems collected before the walk gives up (the refusal is certain by then).
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Selected:
    """One item the user chose: its API path, the request field naming it, and the name it
    arrives under ('/'-separated, relative to the destination)."""

    api_path: str
    field: str
    name: str


@dataclass(frozen=True)
class LocalItem:
    """A regular file to send, or (source None) an empty folder to create."""

    #: The real file (links resolved); None for an empty folder.
    source: Path | None
    #: Where it arrives, relative to the destination ('/'-separated, the links' names kept).
    name: str
    #: The path the user sees (API path through the links), for messages.
    origin: str
    size: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True)
class _Problem:
    field: str
    message: str
    code: str


def selected(api_path: str, field: str, name: str | None = None) -> Selected:
    """A selection item arriving under its own (last) name unless `name` is given."""
    return Selected(api_path, field, name or PurePosixPath(api_path).name)


def collect(
    root_dir: Path, items: Iterable[Selected], ignore: IgnoreRules | None = None
) -> list[LocalItem]:
    """Walk every selected item under the rules above; sorted by arrival name.

    With `ignore`, the .gitignore and .reanaignore files of the walked folders leave out what
    they match inside them (REANA uploads; `ignore_files`); the selected items themselves
    are always taken.

    Raises InvalidInput (400, `field` the first offending request field, `code` one of
    `not_found`, `unreadable`, `link_outside_root`, `broken_link`, `link_loop`,
    `special_file`) naming every offending path found, or Conflict (409, code `name_clash`) naming both sides of a clash.
    """
    root = Path(root_dir).resolve()
    problems: list[_Problem] = []
    found: list[tuple[Selected, Path | None, list[LocalItem]]] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if (item.api_path, item.name) in seen:
            continue  # the same item twice arrives once (`_unique`): walk it once
        seen.add((item.api_path, item.name))
        top = _top_level(root, item, problems, ignore)
        if top is None:
            continue
        real, walked = top
        found.append((item, real, walked))
        if len(problems) >= MAX_PROBLEMS:
            break
    _raise_problems(problems)
    return _unique(found)


def refuse_empty_folders(items: Iterable[LocalItem], field: str, where: str) -> None:
    """For destinations that hold only files (REANA workspaces): refuse, naming the folders."""
    empty = [i.origin for i in items if i.source is None]
    if empty:
        raise InvalidInput(
            f"{where} cannot hold empty folders, and these would not arrive: {_named(empty)}. "
            "Put a file in them or leave them out.",
            field=field,
            code="empty_folder",
        )


def assert_unchanged(item: LocalItem) -> None:
    """Raise Conflict (code `changed`) when `item`'s file is no longer what was selected."""
    if item.source is None:
        return
    try:
        now = item.source.stat()
    except OSError:
        now = None
    if now is None or (now.st_size, now.st_mtime_ns) != (item.size, item.mtime_ns):
        raise Conflict(
            f"'{item.origin}' changed while it was being sent; nothing of it is kept as "
            "complete: send it again once it is finished",
            field="paths",
            code="changed",
        )


def is_inside(root: Path, real: Path) -> bool:
    return real.is_relative_to(root)


# ---- walking -------------------------------------------------------------------------------


def _top_level(
    root: Path, item: Selected, problems: list[_Problem], ignore: IgnoreRules | None = None
) -> tuple[Path, list[LocalItem]] | None:
    """Confine and walk one selected item; None when it is refused (problem recorded)."""
    try:
        real = confine(root, item.api_path, field=item.field)
    except RuntimeError:  # Path.resolve on a symlink loop
        problems.append(_loop(item.field, item.api_path))
        return None
    except InvalidInput:
        if not _is_link(root.joinpath(*PurePosixPath(item.api_path).parts)):
            raise
        problems.append(_outside(item.field, item.api_path))
        return None
    parts = [p for p in PurePosixPath(item.api_path).parts if p not in ("", ".")]
    path = root.joinpath(*parts)
    if not parts or real == root:
        raise InvalidInput(
            "Choose files or folders inside the root, not the root itself", field=item.field
        )
    if not _lexists(path, item):
        problems.append(_Problem(item.field, f"'{item.api_path}' does not exist", code="not_found"))
        return None
    before = len(problems)
    walked = list(_walk(root, path, item, problems, ignore))
    if len(problems) > before:
        return None
    return real, walked


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):  # ValueError: a NUL byte, which `confine` refuses anyway
        return False


def _lexists(path: Path, item: Selected) -> bool:
    """Whether something (a link too) is at `path`; a path the system cannot look up is a 400."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise InvalidInput(
            f"'{item.field}' cannot be looked up here ({exc.strerror})", field=item.field
        ) from None
    return True


def _walk(
    root: Path,
    top: Path,
    item: Selected,
    problems: list[_Problem],
    ignore: IgnoreRules | None = None,
) -> Iterator[LocalItem]:
    """Depth-first, without recursion (a deep tree must not hit Python's recursion limit).

    Entries are read with `os.scandir`, so a plain file or folder costs one `stat` and only
    links are resolved.
    """
    top_real = _resolve(root, top, item.api_path, item.field, problems)
    if top_real is None:
        return
    stack: list[tuple[Path, str, str, tuple[Path, ...], bool]] = [
        (top_real, item.name, item.api_path, (), False)
    ]
    while stack and len(problems) < MAX_PROBLEMS:
        real, name, origin, ancestors, via_link = stack.pop()
        try:
            info = real.stat()
        except OSError as exc:
            problems.append(_unreadable(item.field, origin, exc))
            continue
        if stat.S_ISREG(info.st_mode):
            yield LocalItem(real, name, origin, info.st_size, info.st_mtime_ns)
        elif stat.S_ISDIR(info.st_mode):
            if via_link and _contains_any(real, ancestors):
                problems.append(_loop(item.field, origin, "a link to a folder that contains it"))
                continue
            try:
                children = _children(real)
            except OSError as exc:
                problems.append(_unreadable(item.field, origin, exc))
                continue
            if not children:
                yield LocalItem(None, name, origin)
            elif ignore is not None:
                ignore.read(name, real)
                # A folder whose every entry is left out is not sent either (not an empty one).
                children = [
                    c for c in children if not ignore.excludes(f"{name}/{c.name}", _is_folder(c))
                ]
            inner = (*ancestors, real)
            for child in reversed(children):
                child_origin = f"{origin}/{child.name}"
                child_real: Path | None = real / child.name
                link = child.is_symlink()
                if link:
                    child_real = _resolve(
                        root, real / child.name, child_origin, item.field, problems
                    )
                if child_real is not None:
                    stack.append((child_real, f"{name}/{child.name}", child_origin, inner, link))
        else:
            problems.append(
                _Problem(
                    item.field,
                    f"'{origin}' is a {_kind(info.st_mode)}: only regular files and folders "
                    "can be sent",
                    code="special_file",
                )
            )


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _contains_any(folder: Path, others: tuple[Path, ...]) -> bool:
    """Whether `folder` is one of `others` or holds one of them: walking it would never end.

    Only a link can lead there (a plain subfolder never holds the folders above it), so this
    runs for links only, as string prefixes: cheap even a thousand folders deep."""
    prefix = f"{folder}/"
    return any(other == folder or str(other).startswith(prefix) for other in others)


def _resolve(
    root: Path, path: Path, origin: str, field: str, problems: list[_Problem]
) -> Path | None:
    """The real path behind `path` when it exists and stays inside the root, else None
    (the problem recorded)."""
    try:
        real = path.resolve(strict=True)
    except RuntimeError:
        problems.append(_loop(field, origin))
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.append(_loop(field, origin))
        elif _is_link(path):
            problems.append(
                _Problem(
                    field,
                    f"'{origin}' is a link to something that does not exist",
                    code="broken_link",
                )
            )
        else:
            problems.append(_unreadable(field, origin, exc))
        return None
    if not is_inside(root, real):
        problems.append(_outside(field, origin))
        return None
    return real


def _children(real: Path) -> list[os.DirEntry[str]]:
    """A folder's entries by name; our own and Jupyter's bookkeeping left out."""
    with os.scandir(real) as entries:
        kept = [
            e
            for e in entries
            if e.name not in SKIPPED_DIRS and not e.name.startswith(SKIPPED_PREFIXES)
        ]
    return sorted(kept, key=lambda e: e.name)


def _unreadable(field: str, origin: str, exc: OSError) -> _Problem:
    return _Problem(field, f"'{origin}' cannot be read ({exc.strerror})", code="unreadable")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _loop(
    field: str, origin: str, how: str = "a link loop (links pointing at each other)"
) -> _Problem:
    return _Problem(field, f"'{origin}' is {how}, so it would never end", code="link_loop")


def _outside(field: str, origin: str) -> _Problem:
    return _Problem(
        field, f"'{origin}' is a link that leads outside the server root", code="link_outside_root"
    )


# ---- checking the whole selection ----------------------------------------------------------


def _unique(found: list[tuple[Selected, Path | None, list[LocalItem]]]) -> list[LocalItem]:
    """One item per arrival name; two different things under one name are a 409."""
    tops: dict[str, tuple[Selected, Path | None]] = {}
    clashes: list[str] = []
    field = None
    for item, real, _walked in found:
        known = tops.get(item.name)
        if known is None:
            tops[item.name] = (item, real)
        elif known[1] != real:
            clashes.append(f"'{known[0].api_path}' and '{item.api_path}' (both '{item.name}')")
            field = field or item.field
    by_name: dict[str, LocalItem] = {}
    for item, _real, walked in found:
        for entry in walked:
            known_entry = by_name.get(entry.name)
            if known_entry is None:
                by_name[entry.name] = entry
            elif known_entry.source != entry.source:
                clashes.append(f"'{known_entry.origin}' and '{entry.origin}' (both '{entry.name}')")
                field = field or item.field
    files = {name for name, entry in by_name.items() if entry.source is not None}
    for name, entry in by_name.items():
        cut = name.rfind("/")
        while cut > 0:
            parent = name[:cut]
            if parent in files:
                clashes.append(
                    f"'{by_name[parent].origin}' and '{entry.origin}' "
                    f"('{parent}' would be a file and a folder)"
                )
                field = field or "paths"
            cut = name.rfind("/", 0, cut)
    if clashes:
        clashes = list(dict.fromkeys(clashes))
        raise Conflict(
            f"Two selected items would arrive under the same name: {_named(clashes, quote=False)}. "
            "Rename one or send them to different folders.",
            field=field,
            code="name_clash",
        )
    return sorted(by_name.values(), key=lambda e: e.name)


def _raise_problems(problems: list[_Problem]) -> None:
    if not problems:
        return
    first = problems[0]
    same = [p.message for p in problems]
    raise InvalidInput(
        _named(same, quote=False) + " (nothing was sent)",
        field=first.field,
        code=first.code,
        details=[{"field": p.field, "message": _short(p.message)} for p in problems[:MAX_NAMED]],
    )


def _named(values: list[str], *, quote: bool = True) -> str:
    """The first few values, each cut to a readable length (messages end up in job events)."""
    shown = [_short(v) for v in values[:MAX_NAMED]]
    shown = [f"'{v}'" if quote else v for v in shown]
    more = len(values) - MAX_NAMED
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")


def _short(text: str) -> str:
    return text if len(text) <= MAX_NAMED_CHARS else f"...{text[-MAX_NAMED_CHARS:]}"
