""" "Run on REANA": validate, load, create, upload and start, as one job (kind reana-run).

The order and the files sent follow `reana-client run` run from the specification's
folder: the spec is validated and loaded by reana-client (in the worker), the workflow
is created from the loaded specification, the spec file, `inputs.files`,
`inputs.directories` and the workflow file are uploaded under their paths relative to
that folder, and the run is started with the given parameter overrides. Unlike
reana-client, files that do not exist or lie outside the spec's folder stop the job
before anything is created, and a failure names the step and what is left behind
("created, not started").
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import anyio

from ..errors import InvalidInput, LabError, UpstreamError
from ..ignore_files import IgnoreRules
from ..jobs import Job, JobManager, Progress
from ..local_selection import Selected, collect, refuse_empty_folders, selected
from ..paths import local_problem
from ..result_lists import capped
from .bundle import build_bundle
from .server_info import refuse_beyond_limits
from .service import ReanaService
from .supervisor import SpecWorker
from .validate import (
    LoadedSpec,
    bundle_server,
    load_spec,
    read_loaded_spec,
    read_spec,
    validate_on_server,
    validate_spec,
    workflow_name,
)
from .workflows import run_name
from .workspace import PlannedUpload, upload_planned

#: Validation warnings kept in a job's details.
MAX_LISTED_WARNINGS = 20
#: Paths left out by .gitignore / .reanaignore named in a job's details.
MAX_LISTED_IGNORED = 20


@dataclass(frozen=True)
class CreateRequest:
    """`POST /reana/create`, as the contract checked it."""

    connection: str
    path: str
    name: str | None = None


@dataclass(frozen=True)
class RunRequest(CreateRequest):
    """`POST /reana/run`: a create, then a start with these overrides."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    operational_options: Mapping[str, Any] = field(default_factory=dict)


class RunExtras(Protocol):
    """More work in a run job, given by a caller above this domain (the provenance loop):
    files staged into the workspace from elsewhere and a record written, before the start."""

    def check_uploads(self, uploads: list[PlannedUpload]) -> None:
        """Refuse (4xx) what clashes with the files sent from the spec's folder."""

    async def before_start(
        self,
        progress: Progress,
        client: Any,
        workflow: dict[str, Any],
        loaded: LoadedSpec,
        uploads: list[PlannedUpload],
    ) -> None:
        """Runs once the spec's files are in the workspace, as the job's last steps."""

    async def undo(self, client: Any, workflow: dict[str, Any]) -> str | None:
        """After a failure or cancel past creation: take back what was made and return the
        words to add to the job's error, or None to leave the workflow created, not started."""


def plan_uploads(
    loaded: LoadedSpec, root_dir: Path, ignore: IgnoreRules | None = None
) -> list[PlannedUpload]:
    """Every file to send, with its name in the workspace (relative to the spec's folder).

    With `ignore`, the .gitignore and .reanaignore files of the spec's folder, and of the
    folders sent, leave out what they match inside `inputs.directories` (as reana-client
    does; `ignore_files`); what they left out is in `ignore.ignored`.

    Raises InvalidInput naming the spec entry when a file is missing, of the wrong kind, or
    outside the spec's folder (REANA workspaces hold only what lies below it). Folders are
    walked under the transfers' one rule set (`local_selection`): a link keeps its own name
    and is followed when it stays inside the server root; links leading out, loops, special
    files, empty folders (a workspace holds only files) and clashes refuse the run.
    """
    root = Path(root_dir).resolve()
    folder = loaded.spec_file.folder
    base = PurePosixPath(folder.relative_to(root).as_posix()) if folder != root else None
    spec = loaded.specification
    inputs = given if isinstance(given := spec.get("inputs"), dict) else {}
    chosen: list[Selected] = []

    def entry_path(entry: Any, where: str) -> tuple[str, Path]:
        """The entry's lexical path below the folder (its own links not yet followed)."""
        if not isinstance(entry, str) or not entry:
            raise InvalidInput(f"{where}: every entry must be a path", field="path")
        relative = PurePosixPath(os.path.normpath(entry))
        if relative.is_absolute() or relative.parts[:1] == ("..",) or str(relative) == ".":
            raise InvalidInput(
                f"{where}: '{entry}' is outside the specification's folder; only files below "
                "it can be uploaded to the workflow's workspace",
                field="path",
                code="input_outside",
            )
        return relative.as_posix(), folder / relative

    def add(entry: Any, where: str, kind: str) -> None:
        name, lexical = entry_path(entry, where)
        if lexical.is_symlink() and not lexical.exists():
            pass  # a broken or looping link: `collect` names it
        elif kind == "file" and lexical.is_dir():
            raise InvalidInput(
                f"{where}: '{entry}' is a directory; list it under inputs.directories",
                field="path",
            )
        elif kind == "directory" and lexical.is_file():
            raise InvalidInput(
                f"{where}: '{entry}' is a file; list it under inputs.files", field="path"
            )
        elif not lexical.exists():
            raise InvalidInput(f"{where}: '{entry}' does not exist", field="path")
        api_path = (base / name).as_posix() if base else name
        chosen.append(selected(api_path, "path", name))

    add(loaded.spec_file.path.name, "specification", "file")
    for entry in inputs.get("files") or []:
        add(entry, "inputs.files", "file")
    for entry in inputs.get("directories") or []:
        add(entry, "inputs.directories", "directory")
        if ignore is not None and isinstance(entry, str):
            # The folders between the spec's and the one sent have their say too.
            parents = PurePosixPath(os.path.normpath(entry)).parents
            for parent in reversed(list(parents)[:-1]):
                ignore.read(parent.as_posix(), folder / parent)
    workflow_file = (spec.get("workflow") or {}).get("file")
    if isinstance(workflow_file, str) and workflow_file:
        _name, lexical = entry_path(workflow_file, "workflow.file")
        if lexical.is_file():
            add(workflow_file, "workflow.file", "file")
    if ignore is not None:
        ignore.read("", folder)
    items = collect(root, chosen, ignore)
    refuse_empty_folders(items, "path", "A REANA workspace")
    return [PlannedUpload(i, i.name) for i in items]


def step_error(step: str, exc: LabError, workflow: dict[str, Any] | None) -> LabError:
    """The same kind of error, saying which step failed and what was left behind."""
    message = f"{step.capitalize()} failed: {exc.message}"
    if workflow is not None:
        message += f" (workflow '{workflow['name']}' was created but not started)"
    return type(exc)(message, field=exc.field, code=exc.code)


async def submit_run(
    request: CreateRequest,
    *,
    jobs: JobManager,
    root_dir: Path,
    worker: SpecWorker,
    reana: ReanaService,
    max_bytes: int,
    prepare: Callable[[], Awaitable[tuple[RunExtras, dict[str, Any]]]] | None = None,
) -> Job:
    """Refuse now what would fail the job at once (no reana-client where the server needs it,
    unknown connection, no token in memory, a missing or huge spec), then let `prepare` (a
    caller above this domain) check its own part and give the job more work and details;
    then queue the run job. Its result names the workflow (id, name, state). A RunRequest
    starts the workflow, a CreateRequest does not."""
    name = workflow_name(request.name, request.path)
    if not await bundle_server(reana, request.connection):  # it needs no reana-client
        worker.require()
    reana.client(request.connection).require_token()  # 404 or 401 now, not in the job
    await read_spec(root_dir, request.path, max_bytes)
    extras, details = await prepare() if prepare is not None else (None, {})
    starts = isinstance(request, RunRequest)

    async def work(progress: Progress) -> dict[str, Any]:
        return await execute(
            progress,
            request,
            name,
            root_dir,
            worker,
            reana.client,
            max_bytes,
            extras,
            starts=starts,
        )

    verb = "Run" if starts else "Create"
    return jobs.submit(
        "reana-run",
        f"{verb} {request.path} on REANA ({request.connection})",
        work,
        connection=request.connection,
        path=request.path,
        name=name,
        mode="run" if starts else "create",
        state="pending",
        **details,
    )


async def execute(
    progress: Progress,
    request: CreateRequest,
    name: str,
    root_dir: Path,
    worker: SpecWorker,
    client_for: Callable[[str], Any],
    max_bytes: int,
    extras: RunExtras | None = None,
    *,
    starts: bool,
) -> dict[str, Any]:
    workflow: dict[str, Any] | None = None
    parameters = dict(request.parameters) if isinstance(request, RunRequest) else {}
    options = dict(request.operational_options) if isinstance(request, RunRequest) else {}

    async def step(name: str, action: Callable[[], Awaitable[Any]]) -> Any:
        progress.set_step(name)
        progress.check_cancelled()
        try:
            return await action()
        except LabError as exc:
            progress.set_detail("failedStep", name)
            # With extras, what is left behind is said once undone (`_undone_on_failure`).
            raise step_error(name, exc, workflow if extras is None else None) from None

    client = client_for(request.connection)
    #: A bundle server (REANA 0.95.0a7+) validates, loads and creates from a bundle itself.
    bundles = False

    async def validate() -> None:
        nonlocal bundles
        bundles = (await client.server_api()).bundles
        if bundles:
            report = await validate_on_server(root_dir, request.path, client, max_bytes=max_bytes)
        else:
            report = await validate_spec(root_dir, request.path, worker, max_bytes=max_bytes)
        # Every job event carries the details: keep them small, the validate route has all.
        progress.set_detail("warnings", report["warnings"][:MAX_LISTED_WARNINGS])
        progress.set_detail("warningsCount", len(report["warnings"]))
        if not report["valid"]:
            reasons = "; ".join(e["message"] for e in report["errors"][:3])
            raise InvalidInput(
                f"'{report['path']}' is not a valid REANA specification: {reasons}",
                field="path",
                code="spec_invalid",
            )

    async def load() -> tuple[LoadedSpec, list[PlannedUpload]]:
        if bundles:
            loaded = await read_loaded_spec(root_dir, request.path, max_bytes=max_bytes)
        else:
            loaded = await load_spec(root_dir, request.path, worker, max_bytes=max_bytes)
        check_parameters(parameters, loaded.specification)
        await refuse_beyond_limits(client, loaded.specification)
        ignore = IgnoreRules()
        try:
            uploads = await anyio.to_thread.run_sync(plan_uploads, loaded, root_dir, ignore)
        except OSError as exc:  # the local disk refused to read an input: name it
            problem = local_problem(exc, root_dir)
            problem.field = "path"
            raise problem from None
        if ignore.ignored_count:
            progress.set_detail("ignored", ignore.ignored[:MAX_LISTED_IGNORED])
            progress.set_detail("ignoredCount", ignore.ignored_count)
        if extras is not None:
            extras.check_uploads(uploads)
        return loaded, uploads

    async def create(loaded: LoadedSpec) -> dict[str, Any]:
        if bundles:
            bundle = await anyio.to_thread.run_sync(
                build_bundle, loaded.spec_file.path, loaded.specification
            )
            answer = await client.create_workflow_bundle(name, bundle)
        else:
            answer = await client.create_workflow(name, loaded.specification)
        if not answer.get("workflow_id"):
            raise UpstreamError("REANA answered without the new workflow's id")
        return {"id": answer["workflow_id"], "name": run_name(answer)}

    async def upload(uploads: list[PlannedUpload]) -> None:
        assert workflow is not None
        client = client_for(request.connection)
        await upload_planned(client, workflow["id"], uploads, progress, file_steps=False)

    async def start() -> dict[str, Any]:
        assert workflow is not None
        return await client_for(request.connection).start_workflow(
            workflow["id"], parameters, options
        )

    await step("validate", validate)
    loaded, uploads = await step("load", load)
    workflow = await step("create", lambda: create(loaded))
    progress.set_detail("workflowId", workflow["id"])
    progress.set_detail("workflowName", workflow["name"])
    progress.set_detail("state", "created, not started")

    async def finish() -> dict[str, Any]:
        await step("upload", lambda: upload(uploads))
        if extras is not None:
            client = client_for(request.connection)
            await step(
                "stage", lambda: extras.before_start(progress, client, workflow, loaded, uploads)
            )
        result = {
            "workflowId": workflow["id"],
            "workflowName": workflow["name"],
            **capped("uploaded", [u.remote for u in uploads]),
            "state": "created, not started",
        }
        if not starts:
            return result
        started = await step("start", start)
        progress.set_detail("state", "started")
        # A bundle server revalidates the spec at start; what it warns about is shown.
        warnings = start_warnings(started)
        if warnings:
            progress.set_detail("startWarnings", warnings[:MAX_LISTED_WARNINGS])
        return {
            **result,
            "state": "started",
            "status": started.get("status"),
            **({"startWarnings": warnings[:MAX_LISTED_WARNINGS]} if warnings else {}),
        }

    if extras is None:
        return await finish()
    try:
        return await finish()
    except BaseException as exc:
        # Take back what was made (shielded: a cancel must not interrupt the cleanup).
        outcome = await asyncio.shield(extras.undo(client_for(request.connection), workflow))
        if outcome is None:
            outcome = f"workflow '{workflow['name']}' was created but not started"
        else:
            progress.set_detail("state", outcome)
        if isinstance(exc, LabError):
            raise type(exc)(f"{exc.message} ({outcome})", field=exc.field, code=exc.code) from None
        raise


def start_warnings(answer: dict[str, Any]) -> list[str]:
    """The `validation_warnings` of a bundle server's start answer, as sentences."""
    raw = answer.get("validation_warnings")
    if not isinstance(raw, list):
        return []
    found = []
    for item in raw:
        if isinstance(item, dict) and item.get("message"):
            where = f" (at {item['path']})" if item.get("path") else ""
            found.append(f"{item['message']}{where}")
    return found


def check_parameters(parameters: Mapping[str, Any], specification: dict[str, Any]) -> None:
    """Refuse overrides the spec does not declare, which reana-client also drops with an error."""
    inputs = given if isinstance(given := specification.get("inputs"), dict) else {}
    declared = listed if isinstance(listed := inputs.get("parameters"), dict) else {}
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise InvalidInput(
            f"Parameter(s) {', '.join(unknown)} are not in the specification's inputs.parameters",
            field="parameters",
        )
