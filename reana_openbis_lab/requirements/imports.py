"""Which packages a saved notebook uses: the modules its code cells import.

A requirements.txt is meant to rebuild what the notebook needs, not the whole kernel (that
holds JupyterLab, this extension and every tool the user ever tried). So the notebook's
code cells are read from disk (the saved version) and parsed with `ast`; the kernel later
maps the top-level module names to the distributions that provide them.

Code cells are IPython, not plain Python: line magics (`%pip install x`), shell escapes
(`!ls`, `files = !ls`), help (`np.sum?`) and cell magics (`%%bash`) are no Python syntax.
They are blanked out line by line before parsing (cell magics whose body is Python, such as
`%%time`, keep their body). `%pip install` / `!pip install` lines are read for the package
names they install, since a notebook that installs a package needs it even when it never
imports it by that name (plugins, engines such as openpyxl). A cell that still does not
parse (or is too large to parse) falls back to a line scan for `import x` / `from x import y`. Relative imports
(`from . import x`) name the notebook's own files and are left out.

Bounded work: the file is refused above MAX_NOTEBOOK_BYTES, and every step is linear in
its size. Blocking (disk and parsing): call `read_notebook_imports` in a thread.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ..paths import confine_own, local_problem

#: Notebooks with embedded images grow large; their code is small. Above this, no parsing.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
#: More distinct names than any real notebook imports: the kernel is asked about these only.
MAX_MODULES = 2000
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
#: PEP 508 name at the start of a requirement (`pandas[excel]>=2` -> `pandas`).
DISTRIBUTION_NAME = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?)")
#: Cell magics whose body is Python code run in the kernel.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
#: pip options followed by a value that is no package (`-r file`, `-i url`...).
PIP_OPTIONS_WITH_VALUE = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--upgrade-strategy",
        "--trusted-host",
        "--progress-bar",
        "--src",
    }
)
#: Characters of code parsed with `ast` per cell and per notebook (see _imported_modules);
#: worst case about 0.1 s per cell, a few seconds per notebook, in a worker thread.
MAX_PARSED_CELL = 8_000
MAX_PARSED_TOTAL = 512_000
#: Linear patterns only (no nested or overlapping repeats): they run over user text.
IMPORT_LINE = re.compile(r"^\s*import\s+(.*)$")
FROM_LINE = re.compile(r"^\s*from\s+(\w[\w.]*)\s+import\b")
R_LIBRARY = re.compile(
    r"\b(?:library|require|requireNamespace)\s*\(\s*[\"']?([A-Za-z][A-Za-z0-9.]{0,99})"
)
#: An R package name right before `::`, looked for in the last 100 characters only.
R_NAMESPACE = re.compile(r"(?<![A-Za-z0-9._])([A-Za-z][A-Za-z0-9.]{0,99})\Z")
#: IPython's help syntax: `np.sum?`, `??json.dumps`, `np.*load*?`.
HELP_LINE = re.compile(r"^(?:\?{1,2}[\w.*]+|[\w.*]+\?{1,2})$")
PIP_INSTALL = re.compile(r"^\s*(?:[%!]\s*)(?:python3?\s+-m\s+)?pip3?\s+install\s+(.*)$")


@dataclass(frozen=True)
class NotebookImports:
    """Top-level module names imported (`numpy` for `import numpy.linalg`), and the
    distribution names the notebook installs with `%pip install` (sorted, unique)."""

    modules: tuple[str, ...]
    installed: tuple[str, ...]
    #: For R kernels: packages named in library(), require(), requireNamespace() or `pkg::`.
    r_packages: tuple[str, ...] = ()


def read_notebook_imports(root_dir: Path, notebook: Path) -> NotebookImports:
    """The imports of a saved .ipynb (nbformat 4) inside `root_dir`; InvalidInput when it is
    not one, LocalProblem when the disk refuses."""
    confine_own(root_dir, notebook, field="notebook_path")
    try:
        size = notebook.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise InvalidInput(
                f"The notebook is larger than {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MiB; send"
                ' \'requirements_list\' or "scope": "environment" instead',
                field="notebook_path",
            )
        raw = notebook.read_bytes()[: MAX_NOTEBOOK_BYTES + 1]
    except OSError as exc:
        problem = local_problem(exc, root_dir, notebook)
        problem.field = "notebook_path"
        raise problem from None
    try:
        cells = json.loads(raw)["cells"]
        sources = [_source(cell) for cell in cells if cell.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InvalidInput(
            "The notebook is not a readable .ipynb file (nbformat 4)", field="notebook_path"
        ) from None
    return imports_of_cells(sources)


def imports_of_cells(sources: list[str]) -> NotebookImports:
    modules: set[str] = set()
    installed: set[str] = set()
    r_packages: set[str] = set()
    budget = [MAX_PARSED_TOTAL]
    for source in sources:
        python, pip_lines = _split_ipython(source)
        for line in pip_lines:
            installed.update(_pip_install_names(line))
        modules.update(_imported_modules(python, budget))
        r_packages.update(_r_packages(source))
    valid = sorted(m for m in modules if MODULE_NAME.match(m))
    return NotebookImports(
        tuple(valid[:MAX_MODULES]),
        tuple(sorted(installed)[:MAX_MODULES]),
        tuple(sorted(r_packages)[:MAX_MODULES]),
    )


def _r_packages(source: str) -> set[str]:
    """R packages named in library(x), require("x"), requireNamespace(x) or `x::f`."""
    found = set(R_LIBRARY.findall(source))
    before_colons = source.split("::")[:-1]
    for chunk in before_colons:
        match = R_NAMESPACE.search(chunk[-101:].rstrip(":"))
        if match:
            found.add(match.group(1))
    return found


def _source(cell: dict[str, object]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    if not isinstance(source, str):
        raise TypeError("cell source")
    return source


def _split_ipython(source: str) -> tuple[str, list[str]]:
    """The cell as Python (IPython-only lines blanked, line numbers kept) and its pip lines."""
    lines = source.splitlines()
    pip_lines: list[str] = []
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            if magic and magic[0] in ("bash", "sh", "script") and lines[1:]:
                pip_lines += [f"!{line}" for line in lines[1:] if PIP_INSTALL.match(f"!{line}")]
            return "", pip_lines
        lines = ["", *lines[1:]]
    python = []
    for line in lines:
        stripped = line.lstrip()
        if PIP_INSTALL.match(line):
            pip_lines.append(line)
        if (
            stripped.startswith(("%", "!"))
            or HELP_LINE.match(stripped)
            or _is_shell_assignment(line)
        ):
            indent = line[: len(line) - len(stripped)]
            python.append(f"{indent}pass")
        else:
            python.append(line)
    return "\n".join(python), pip_lines


def _is_shell_assignment(line: str) -> bool:
    """`files = !ls` and `out = %time f()`: IPython's system/magic assignments."""
    name, equals, rest = line.partition("=")
    return bool(equals) and name.strip().isidentifier() and rest.lstrip().startswith(("!", "%"))


def _imported_modules(python: str, budget: list[int]) -> set[str]:
    """Top-level names of `import a.b, c` and `from a.b import x` statements (not relative).

    `ast.parse` knows strings and comments from code, but CPython's parser takes quadratic
    time to report some syntax errors (a 40 kB line took seconds; the pure-Python tokenizer
    is worse), so only cells up to MAX_PARSED_CELL and MAX_PARSED_TOTAL characters in all
    (`budget`, spent as cells are parsed) are parsed; the rest is scanned line by line.
    """
    if len(python) > MAX_PARSED_CELL or len(python) > budget[0]:
        return _scanned_modules(python)
    budget[0] -= len(python)
    try:
        tree = ast.parse(python)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _scanned_modules(python)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _scanned_modules(python: str) -> set[str]:
    """For a cell that is not valid Python: the top-level import statements, line by line."""
    found: set[str] = set()
    for line in python.splitlines():
        if match := FROM_LINE.match(line):
            found.add(match.group(1).split(".")[0])
        elif match := IMPORT_LINE.match(line):
            names = match.group(1).split("#")[0].split(",")
            found.update(name.split()[0].split(".")[0] for name in names if name.split())
    return found


def _pip_install_names(line: str) -> set[str]:
    """Distribution names of `%pip install -U pandas[excel]>=2 "seaborn"` (no files, URLs)."""
    match = PIP_INSTALL.match(line)
    if match is None:
        return set()
    try:
        words = shlex.split(match.group(1), comments=True)
    except ValueError:
        words = match.group(1).split()
    names: set[str] = set()
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
            continue
        if word.startswith("-"):
            skip_next = word in PIP_OPTIONS_WITH_VALUE
            continue
        if "/" in word or "\\" in word or ":" in word or word.startswith((".", "$", "{")):
            continue  # a path, URL or variable: nothing to pin by name
        name = DISTRIBUTION_NAME.match(word)
        if name is not None:
            names.add(name.group(1))
    return names
