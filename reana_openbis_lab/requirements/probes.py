"""The snippets run inside a notebook's kernel, one per kernel language, and their parsers.

Python asks for a user expression with `silent=True`: the kernel evaluates it without
touching the user's namespace, history or execution counter, and nothing is broadcast to
the notebook's output. It reads `importlib.metadata` (pkg_resources is deprecated and slow
to import). R kernels do not evaluate user expressions, so the R snippet prints
tab-separated lines inside `local()` (no variable survives) and we read them from the
stream output of our own request only.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from typing import Any

from ..errors import InvalidInput, UpstreamError
from . import in_kernel
from .environment import Environment, check_requirement_lines, check_runtime
from .imports import NotebookImports

#: What the kernel may report as an unresolved import: a module or distribution name.
UNRESOLVED_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")
IN_KERNEL_SOURCE = inspect.getsource(in_kernel)

PYTHON_EXPRESSION = (
    "__import__('json').dumps({"
    "'runtime': 'python-' + __import__('platform').python_version(),"
    "'packages': sorted({__import__('re').sub(r'[-_.]+', '-', d.metadata['Name']).lower():"
    " d.metadata['Name'] + '==' + d.version"
    " for d in reversed(list(__import__('importlib.metadata').metadata.distributions()))"
    " if d.metadata['Name'] and d.version}.values(), key=str.lower)})"
)
"""Iterated in reverse so that the distribution found first on sys.path wins, as on import;
names are compared as PEP 503 normalises them; broken installs without a name or version
are left out rather than failing the whole list."""

R_CODE = """local({
  v <- R.version
  cat("RUNTIME\\t", v$major, ".", v$minor, "\\n", sep = "")
  base <- rownames(installed.packages(priority = "base"))
  p <- installed.packages()[, c("Package", "Version"), drop = FALSE]
  p <- p[!duplicated(p[, "Package"]) & !(p[, "Package"] %in% base), , drop = FALSE]
  for (i in seq_len(nrow(p))) cat("PKG\\t", p[i, 1], "\\t", p[i, 2], "\\n", sep = "")
  invisible(NULL)
})"""
"""Base packages ship with R itself and are described by the runtime line; the first
library on .libPaths() wins for duplicates, as with library()."""


def python_imports_expression(imports: NotebookImports) -> str:
    """A user expression pinning only what the notebook imports (see in_kernel.py).

    The function's source is run with `exec` in a fresh namespace of its own, so nothing is
    defined in (or read from) the user's; the names are validated identifiers, passed as
    Python literals.
    """
    return (
        f"(lambda ns: (exec({IN_KERNEL_SOURCE!r}, ns),"
        f" ns['pinned_distributions']({list(imports.modules)!r}, {list(imports.installed)!r}))[1])"
        "({'__name__': 'reana_openbis_lab_probe'})"
    )


def only_imported_r_packages(environment: Environment, imports: NotebookImports) -> Environment:
    """The R kernel's packages that the notebook loads (base R is in the runtime line)."""
    wanted = set(imports.r_packages)
    return Environment(
        language=environment.language,
        runtime=environment.runtime,
        packages=tuple(line for line in environment.packages if line.split("==")[0] in wanted),
    )


def parse_python_reply(content: dict[str, Any]) -> Environment:
    result = content.get("user_expressions", {}).get("environment", {})
    if result.get("status") != "ok":
        raise UpstreamError(
            f"The kernel could not list its packages: {result.get('ename', 'unknown error')}"
        )
    try:
        payload = json.loads(ast.literal_eval(result["data"]["text/plain"]))
    except (KeyError, ValueError, SyntaxError, TypeError) as exc:
        raise UpstreamError("The kernel answered with an unreadable package list") from exc
    environment = _checked("python", payload.get("runtime"), payload.get("packages"))
    unresolved = payload.get("unresolved", [])
    if not isinstance(unresolved, list) or not all(
        isinstance(name, str) and UNRESOLVED_NAME.match(name) for name in unresolved
    ):
        raise UpstreamError("The kernel answered with unreadable module names")
    return Environment(
        language=environment.language,
        runtime=environment.runtime,
        packages=environment.packages,
        unresolved=tuple(unresolved),
    )


def parse_r_output(stdout: str) -> Environment:
    runtime = None
    packages = []
    for line in stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "RUNTIME":
            runtime = f"r-{rest.strip()}"
        elif kind == "PKG":
            name, _, version = rest.partition("\t")
            packages.append(f"{name.strip()}=={version.strip()}")
    if runtime is None:
        raise UpstreamError("The R kernel did not report its version")
    return _checked("r", runtime, sorted(packages, key=str.lower))


def _checked(language: str, runtime: object, packages: object) -> Environment:
    """The kernel is the user's own code: what it reports passes the same checks as input."""
    try:
        return Environment(
            language=language,
            runtime=check_runtime(runtime, field="runtime"),
            packages=check_requirement_lines(packages, field="packages"),
        )
    except InvalidInput as exc:
        raise UpstreamError(f"The kernel reported an unusable environment: {exc.message}") from None


def language_of(kernel_info: dict[str, Any]) -> str:
    """'python' or 'r' from a kernel_info reply; other kernels cannot be frozen (yet)."""
    name = str(kernel_info.get("content", {}).get("language_info", {}).get("name", "")).lower()
    if name in ("python", "python3"):
        return "python"
    if name == "r":
        return "r"
    raise InvalidInput(
        f"Freezing requirements is supported for Python and R kernels, not for '{name or '?'}'",
        field="notebook_path",
        code="unsupported_kernel",
    )
