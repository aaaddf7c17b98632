"""What a frozen environment is, and the checks every line of it must pass.

The same checks apply to lists reported by a kernel and to lists sent by a caller: both
end up in files that pip, repo2docker or R will read later, so a newline smuggled into a
name or a pip option such as `--index-url` must never get through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidInput

MAX_PACKAGES = 5000
MAX_LINE_LENGTH = 500
#: repo2docker's forms: python-3.11[.4], r-4.3[.1], r-4.3-2024-01-31, r-2024-01-31.
RUNTIME_PATTERN = re.compile(
    r"^(python-\d{1,2}(\.\d{1,3}){0,2}"
    r"|r-\d{1,2}(\.\d{1,3}){0,2}(-\d{4}-\d{2}-\d{2})?"
    r"|r-\d{4}-\d{2}-\d{2})$"
)
#: Plain, visible .txt names only: a chosen name like `.bashrc` next to a notebook in a
#: home directory would turn a package list into a login script.
FILE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.txt$")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


@dataclass(frozen=True)
class Environment:
    """A kernel's language, its runtime line and its sorted `name==version` lines; for the
    notebook's imports also those that no installed distribution provides (`unresolved`)."""

    language: str
    runtime: str
    packages: tuple[str, ...]
    unresolved: tuple[str, ...] = ()

    def requirements_text(self) -> str:
        return "".join(f"{line}\n" for line in self.packages)

    def runtime_text(self) -> str:
        return f"{self.runtime}\n"


def check_requirement_lines(value: object, *, field: str = "requirements_list") -> tuple[str, ...]:
    """A list of requirement lines, each one line of text and never a pip option."""
    if not isinstance(value, list):
        raise InvalidInput(f"'{field}' must be a list of strings", field=field)
    if len(value) > MAX_PACKAGES:
        raise InvalidInput(f"'{field}' has more than {MAX_PACKAGES} entries", field=field)
    lines = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise InvalidInput(f"'{field}[{index}]' must be a string", field=field)
        line = item.strip()
        if not line:
            raise InvalidInput(f"'{field}[{index}]' is empty", field=field)
        if len(line) > MAX_LINE_LENGTH:
            raise InvalidInput(f"'{field}[{index}]' is longer than {MAX_LINE_LENGTH}", field=field)
        if CONTROL_CHARS.search(line):
            raise InvalidInput(f"'{field}[{index}]' contains control characters", field=field)
        if line.startswith("-"):
            raise InvalidInput(
                f"'{field}[{index}]' is a pip option, not a requirement", field=field
            )
        lines.append(line)
    return tuple(lines)


def check_runtime(value: object, *, field: str = "runtime") -> str:
    if not isinstance(value, str) or not RUNTIME_PATTERN.match(value.strip()):
        raise InvalidInput(
            f"'{field}' must look like 'python-3.11.4' or 'r-4.3.1' (repo2docker's runtime.txt)",
            field=field,
        )
    return value.strip()


def check_file_name(value: object, *, field: str) -> str:
    """A plain visible `*.txt` name; the caller still confines it next to the notebook."""
    if not isinstance(value, str) or not FILE_NAME_PATTERN.match(value):
        raise InvalidInput(
            f"'{field}' must be a plain file name ending in .txt (letters, digits, '.', '_', '-'),"
            " not starting with '.'",
            field=field,
        )
    return value
