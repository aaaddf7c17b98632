""".gitignore and .reanaignore: what a REANA upload leaves out of the folders it sends.

reana-client reads both files in the specification's folder and drops the files of
`inputs.directories` that either matches (`inputs.files` are always sent). Here the same
rules apply, and, as git does, an ignore file inside a sent folder applies to what lies below
it: a deeper file's verdict overrides a shallower one (`!keep.dat` re-includes), and an
excluded folder is not entered at all. The two kinds are judged separately, and a path either
of them excludes stays home, so a `.reanaignore` can leave out more than git does but cannot
send what `.gitignore` excludes (reana-client filters with one, then the other).

Patterns are gitwildmatch patterns (the `pathspec` library), matched against the path
relative to the folder holding the ignore file. Everything here reads the file system and
runs in a worker thread, as the walk in `local_selection` does.
"""

from __future__ import annotations

from pathlib import Path

import pathspec

IGNORE_FILES = (".gitignore", ".reanaignore")
#: An ignore file larger than this is not a list of patterns; it is not read.
MAX_IGNORE_FILE = 1024 * 1024
#: Left-out paths remembered for the user; the count goes on.
MAX_REPORTED = 200


class IgnoreRules:
    """The ignore files met while walking, by the arrival path of their folder, and what
    they left out (`ignored`, folders with a trailing '/', and `ignored_count`)."""

    def __init__(self) -> None:
        self._rules: dict[str, list[tuple[str, pathspec.PathSpec]]] = {}
        self.ignored: list[str] = []
        self.ignored_count = 0

    def read(self, prefix: str, folder: Path) -> None:
        """Take the ignore files of `folder`, whose contents arrive below `prefix` ("" for the
        destination's top)."""
        for kind in IGNORE_FILES:
            path = folder / kind
            try:
                if not path.is_file() or path.stat().st_size > MAX_IGNORE_FILE:
                    continue
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            self._rules.setdefault(prefix, []).append(
                (kind, pathspec.GitIgnoreSpec.from_lines(lines))
            )

    def excludes(self, name: str, is_dir: bool) -> bool:
        """Whether the entry arriving as `name` stays home; remembered when it does."""
        if not self._rules:
            return False
        verdicts: dict[str, bool] = {}
        parts = name.split("/")
        for depth in range(len(parts)):
            prefix = "/".join(parts[:depth])
            for kind, spec in self._rules.get(prefix, ()):
                relative = "/".join(parts[depth:]) + ("/" if is_dir else "")
                verdict = spec.check_file(relative).include
                if verdict is not None:
                    verdicts[kind] = verdict
        if not any(verdicts.values()):
            return False
        self.ignored_count += 1
        if len(self.ignored) < MAX_REPORTED:
            self.ignored.append(f"{name}/" if is_dir else name)
        return True
