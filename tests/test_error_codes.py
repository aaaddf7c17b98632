"""The error codes are a closed list: openapi.yaml's `ErrorCode` is exactly what the code emits.

The UI switches on `code` (HTTP error bodies) and `errorCode` (jobs), so a code that is not
documented, or a documented one that nothing emits any more, is a broken promise. The
codes are found by reading the source (every `code=` argument, every `default_code`, every
`error_code` assignment), not by trusting a hand-kept list.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from reana_openbis_lab.paths import LOCAL_CAUSES
from tests.test_contract import load_contract

PACKAGE = Path(__file__).resolve().parents[1] / "reana_openbis_lab"
#: Constructors that take a `code=` keyword but are not errors (openBIS property codes...).
NOT_ERRORS = {"PropertySpec"}
#: `code=<name>` whose value comes from a table rather than a literal: (file, function) -> codes.
FROM_TABLES = {
    ("paths.py", "local_problem"): {code for code, _ in LOCAL_CAUSES.values()} | {"local_io"}
}


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _constants(node: ast.expr) -> set[str] | None:
    """The strings an expression can be, if it is made of literals (and `a if c else b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _assigned(function: ast.AST, name: str) -> set[str] | None:
    values: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            found = _constants(node.value)
            if found is None:
                return None
            values |= found
    return values or None


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else ast.unparse(func)


def _enclosing_functions(module: ast.Module) -> dict[ast.AST, ast.AST]:
    """Each node's innermost enclosing function (absent at module level)."""
    owner: dict[ast.AST, ast.AST] = {}

    def visit(node: ast.AST, function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            if function is not None:
                owner[child] = function
            inner = (
                child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            )
            visit(child, inner)

    visit(module, None)
    return owner


def _code_values(node: ast.AST) -> list[ast.expr]:
    """The expressions a node gives as an error code: `code=` arguments, `default_code = `
    and `.error_code = ` assignments."""
    if isinstance(node, ast.Call) and _callee(node) not in NOT_ERRORS:
        return [kw.value for kw in node.keywords if kw.arg == "code"]
    if isinstance(node, ast.Assign) and any(
        (isinstance(t, ast.Name) and t.id == "default_code")
        or (isinstance(t, ast.Attribute) and t.attr == "error_code")
        for t in node.targets
    ):
        return [node.value]
    return []


def emitted_codes() -> tuple[set[str], list[str]]:
    """(every code the package can emit, the places whose code could not be read)."""
    codes: set[str] = set()
    unreadable: list[str] = []
    for relative, module in _sources():
        owner = _enclosing_functions(module)
        for node in ast.walk(module):
            for value in _code_values(node):
                if isinstance(value, ast.Attribute) and value.attr == "code":
                    continue  # handing on another error's code
                found = _constants(value)
                function = owner.get(node)
                if found is None and isinstance(value, ast.Name) and function is not None:
                    name = getattr(function, "name", "")
                    found = FROM_TABLES.get((relative, name)) or _assigned(function, value.id)
                if found is None:
                    unreadable.append(
                        f"{relative}:{getattr(node, 'lineno', '?')}: {ast.unparse(value)}"
                    )
                else:
                    codes |= found
    return codes, unreadable


def documented_codes() -> set[str]:
    return set(load_contract()["components"]["schemas"]["ErrorCode"]["enum"])


def test_every_code_the_package_emits_is_documented_and_vice_versa() -> None:
    emitted, unreadable = emitted_codes()
    # Every code is a literal (or a listed table), so this test can see it
    assert unreadable == []
    documented = documented_codes()
    assert sorted(emitted - documented) == [], "codes missing from ErrorCode in openapi.yaml"
    assert sorted(documented - emitted) == [], "ErrorCode lists codes nothing emits"


def test_error_bodies_and_jobs_refer_to_the_closed_list() -> None:
    schemas = load_contract()["components"]["schemas"]
    assert schemas["Error"]["properties"]["code"]["$ref"] == "#/components/schemas/ErrorCode"
    job_code = schemas["Job"]["properties"]["errorCode"]
    assert job_code["allOf"] == [{"$ref": "#/components/schemas/ErrorCode"}]
    assert job_code["nullable"] is True


def test_every_code_is_written_in_one_style() -> None:
    """snake_case throughout (`local_read_only` beside `name_clash`): a client matching on
    codes never has to guess the spelling, and no old spelling is kept."""
    codes = load_contract()["components"]["schemas"]["ErrorCode"]["enum"]
    assert [c for c in codes if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", c)] == []
