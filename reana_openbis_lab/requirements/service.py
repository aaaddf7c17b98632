"""The one object the requirements route talks to (built at start-up in app.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..errors import InvalidInput, NotFound
from ..paths import confine, to_api_path
from .environment import Environment, check_file_name, check_requirement_lines, check_runtime
from .files import PlannedFile, write_all
from .imports import read_notebook_imports
from .kernel import find_kernel_id, probe_environment

DEFAULT_REQUIREMENTS_FILE = "requirements.txt"
DEFAULT_RUNTIME_FILE = "runtime.txt"


@dataclass(frozen=True)
class ExportRequest:
    """`POST /requirements`, as the contract checked it; explicit lists replace what the
    kernel would report. Its keys are the older jupyter-openbis-server contract's."""

    JSON_KEYS: ClassVar[str] = "as written"

    notebook_path: str
    requirements_list: tuple[str, ...] | None = None
    runtime: str | None = None
    requirements_filename: str = DEFAULT_REQUIREMENTS_FILE
    runtime_filename: str = DEFAULT_RUNTIME_FILE
    overwrite: bool = False
    #: `imports`: what provides the notebook's imports; `environment`: all installed (freeze).
    scope: str = "imports"


class RequirementsService:
    def __init__(
        self, root_dir: Path, session_manager: Any, kernel_manager: Any, *, timeout: float
    ) -> None:
        self.root_dir = root_dir
        self.session_manager = session_manager
        self.kernel_manager = kernel_manager
        self.timeout = timeout

    async def export(self, request: ExportRequest) -> dict[str, Any]:
        """Freeze the environment and write both files next to the notebook.

        The kernel is asked only if the caller did not send both lists, so a caller with
        explicit lists needs no running kernel at all.
        """
        notebook = confine(self.root_dir, request.notebook_path, field="notebook_path")
        if notebook == Path(self.root_dir).resolve():
            raise InvalidInput("'notebook_path' must name a notebook", field="notebook_path")
        targets = self._targets(notebook, request)
        explicit = self._explicit(request)
        if not await asyncio.to_thread(notebook.is_file):
            raise NotFound("The notebook does not exist", field="notebook_path")
        environment = explicit
        if request.requirements_list is None or request.runtime is None:
            imports = None
            if request.requirements_list is None and request.scope == "imports":
                imports = await asyncio.to_thread(read_notebook_imports, self.root_dir, notebook)
            kernel_id = await find_kernel_id(self.session_manager, self.root_dir, notebook)
            from_kernel = await probe_environment(
                self.kernel_manager, kernel_id, self.timeout, imports
            )
            environment = Environment(
                language=from_kernel.language,
                runtime=explicit.runtime or from_kernel.runtime,
                packages=explicit.packages
                if request.requirements_list is not None
                else from_kernel.packages,
                unresolved=from_kernel.unresolved,
            )
        files = [
            PlannedFile(targets[0], environment.requirements_text(), "requirements_filename"),
            PlannedFile(targets[1], environment.runtime_text(), "runtime_filename"),
        ]
        changed = await asyncio.to_thread(
            write_all, self.root_dir, files, overwrite=request.overwrite
        )
        requirements, runtime = (
            {
                "path": to_api_path(self.root_dir, planned.path),
                "content": planned.content,
                "written": was_changed,
            }
            for planned, was_changed in zip(files, changed, strict=True)
        )
        return {
            "language": environment.language,
            "source": "request" if environment is explicit else "kernel",
            "scope": "request" if request.requirements_list is not None else request.scope,
            "unresolved": list(environment.unresolved),
            "requirements": requirements,
            "runtime": runtime,
        }

    def _targets(self, notebook: Path, request: ExportRequest) -> tuple[Path, Path]:
        folder = to_api_path(self.root_dir, notebook.parent)
        paths = []
        for field, name in (
            ("requirements_filename", request.requirements_filename),
            ("runtime_filename", request.runtime_filename),
        ):
            name = check_file_name(name, field=field)
            target = confine(self.root_dir, f"{folder}/{name}" if folder else name, field=field)
            if target.parent != notebook.parent or target == notebook:
                raise InvalidInput(f"'{field}' must name a file next to the notebook", field=field)
            paths.append(target)
        if paths[0] == paths[1]:
            raise InvalidInput("The two file names must differ", field="runtime_filename")
        return paths[0], paths[1]

    @staticmethod
    def _explicit(request: ExportRequest) -> Environment:
        packages = (
            check_requirement_lines(list(request.requirements_list))
            if request.requirements_list is not None
            else ()
        )
        runtime = check_runtime(request.runtime) if request.runtime is not None else ""
        language = "r" if runtime.startswith("r-") else "python"
        return Environment(language=language, runtime=runtime, packages=packages)
