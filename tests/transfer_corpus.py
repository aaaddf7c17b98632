"""One corpus of awkward local trees for every transfer route (see README: "What transfers do
with symlinks, empty folders, name clashes and special files").

`make_corpus(root, outside)` builds it under `root/corpus`; `CASES` says, per selection, what
must arrive (names relative to the destination, empty folders with a trailing '/') or which
refusal (status, code, names the message must contain) must come before anything moves.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = "corpus"


def make_corpus(root: Path, outside: Path) -> Path:
    """The tree, with a folder outside the root for links to leak into. Returns `root/corpus`."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("outside the root\n")
    base = root / CORPUS
    files = {
        "rup/sub1/run.py": "print('sub1')\n",
        "rup/sub2/run.py": "print('sub2')\n",
        "rup/sub2/data.txt": "1,2,3\n",
        "rup2/plain.txt": "plain\n",
        "withempty/a.txt": "a\n",
        "out/plain.txt": "stays\n",
        "looped/plain.txt": "loop\n",
        "cycle/plain.txt": "cycle\n",
        "specials/plain.txt": "special\n",
        "broken/plain.txt": "broken\n",
    }
    for name, text in files.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text)
    (base / "withempty" / "emptydir").mkdir()
    (base / "rup" / "link_in.py").symlink_to("sub1/run.py")
    (base / "rup2" / "linked").symlink_to("../rup/sub2")
    (base / "out" / "escape.txt").symlink_to(outside / "secret.txt")
    (base / "link_out").symlink_to(outside)
    (base / "looped" / "back").symlink_to("..")
    (base / "cycle" / "a").symlink_to("b")
    (base / "cycle" / "b").symlink_to("a")
    (base / "broken" / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(base / "specials" / "pipe")
    _bind_socket(base / "specials" / "sock")
    return base


def _bind_socket(path: Path) -> None:
    """A socket file that stays after its socket is closed (as a crashed server leaves one)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
    finally:
        sock.close()


@dataclass(frozen=True)
class Case:
    """What one selection (paths relative to the corpus) must give on every route."""

    id: str
    selection: tuple[str, ...]
    #: Names that arrive (relative to the destination); None when the request is refused.
    arrives: frozenset[str] | None = None
    #: (HTTP status, error code, names the message must mention) of the refusal.
    refused: tuple[int, str, tuple[str, ...]] | None = None
    #: Routes whose destination cannot hold it: the refusal there instead of `arrives`.
    refused_on_files_only: tuple[int, str, tuple[str, ...]] | None = None
    #: The spec-input route keeps paths relative to the spec folder, so base names cannot clash.
    skip_for_inputs: bool = False
    tags: tuple[str, ...] = field(default=())


CASES = [
    Case(
        "folder-link-inside-root-is-followed",
        ("rup2",),
        arrives=frozenset({"rup2/plain.txt", "rup2/linked/run.py", "rup2/linked/data.txt"}),
    ),
    Case("file-link-keeps-its-own-name", ("rup/link_in.py",), arrives=frozenset({"link_in.py"})),
    Case(
        "empty-folder-arrives",
        ("withempty",),
        arrives=frozenset({"withempty/a.txt", "withempty/emptydir/"}),
        refused_on_files_only=(400, "empty_folder", ("withempty/emptydir",)),
    ),
    Case(
        "link-out-of-root-inside-a-folder",
        ("out",),
        refused=(400, "link_outside_root", ("out/escape.txt",)),
    ),
    Case(
        "link-out-of-root-given-directly",
        ("link_out",),
        refused=(400, "link_outside_root", ("link_out",)),
    ),
    Case("link-to-an-ancestor", ("looped",), refused=(400, "link_loop", ("looped/back",))),
    Case("links-pointing-at-each-other", ("cycle",), refused=(400, "link_loop", ("cycle/a",))),
    Case("broken-link", ("broken",), refused=(400, "broken_link", ("broken/gone.txt",))),
    Case(
        "fifo-and-socket",
        ("specials",),
        refused=(400, "special_file", ("specials/pipe", "specials/sock")),
    ),
    Case(
        "two-files-with-one-name",
        ("rup/sub1/run.py", "rup/sub2/run.py"),
        refused=(409, "name_clash", ("rup/sub1/run.py", "rup/sub2/run.py")),
        skip_for_inputs=True,
    ),
]
