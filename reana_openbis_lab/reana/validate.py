"""Validate and load REANA specs: our precise checks first, then reana-client in the worker.

The verdict (valid / valid-with-warnings / invalid) is always reana-client's: our own
checks (spec_checks) only reject specs that reana-client rejects too, and say where and
why. Specs are read with a size cap, and everything reana-client does runs in the
supervised worker with a timeout, so a huge or pathological file cannot hang the server.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from ..errors import InvalidInput, NotFound, UpstreamError
from ..paths import confine, local_problem, to_api_path
from . import spec_checks, spec_inputs
from .bundle import build_bundle
from .client import ReanaClient
from .service import ReanaService
from .supervisor import SpecWorker, WorkerFailed

#: The "quoted" names in reana-client's parameter and command warnings.
QUOTED = re.compile(r'"([^"]+)"')


@dataclass
class SpecFile:
    """A spec inside the server root, read once (size-capped) for checks and locations."""

    path: Path
    api_path: str
    raw: bytes

    @property
    def folder(self) -> Path:
        return self.path.parent


async def read_spec(
    root_dir: Path, relative: Any, max_bytes: int, *, field: str = "path"
) -> SpecFile:
    """The spec file named by the request's `field`, read off the loop; refusals name `field`."""
    path = confine(root_dir, relative, field=field)

    def read() -> bytes:
        if not path.exists():
            raise NotFound(f"No file '{relative}' in the server root", field=field)
        if not path.is_file():
            raise InvalidInput(f"'{relative}' is not a regular file", field=field)
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput(
                f"'{relative}' is {size:,} bytes; REANA specifications larger than "
                f"{max_bytes:,} bytes are not validated",
                field=field,
                code="spec_too_large",
            )
        try:
            with path.open("rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:  # the local disk refused: name the file, not a 500
            raise local_problem(exc, root_dir, path) from None
        if len(raw) > max_bytes:  # grew while we looked
            raise InvalidInput(f"'{relative}' is too large", field=field, code="spec_too_large")
        return raw

    raw = await anyio.to_thread.run_sync(read)
    return SpecFile(path, to_api_path(root_dir, path), raw)


def located(
    items: list[dict[str, Any]], parsed: spec_checks.ParsedSpec | None, text: str
) -> list[dict]:
    """Warnings with a line and column where we can tell, as editors want them.

    Schema warnings come with reana-commons' dotted path; parameter and command warnings
    only name the parameter or the command, which we find in the spec itself.
    """
    result = []
    for item in items:
        entry: dict[str, Any] = {"message": item.get("message", "")}
        dotted = item.get("path")
        position = None
        if parsed is not None and isinstance(dotted, str):
            position = node_position(spec_checks.locate(parsed.root, dotted, item.get("property")))
            if dotted:
                entry["message"] += f" (at {dotted})"
        elif parsed is not None:
            position = named_in_message(entry["message"], parsed, text)
        if position is not None:
            entry["line"], entry["column"] = position
        result.append(entry)
    return result


def node_position(node: Any) -> tuple[int, int] | None:
    """1-based (line, column) of a YAML node."""
    if node is None:
        return None
    return node.start_mark.line + 1, node.start_mark.column + 1


def named_in_message(
    message: str, parsed: spec_checks.ParsedSpec, text: str
) -> tuple[int, int] | None:
    """Where the parameter or command a reana-client warning names is in this spec.

    None for names that live in other files (yadage, CWL) or cannot be found.
    """
    quoted = QUOTED.findall(message)
    if not quoted:
        return None
    name = quoted[0]
    if message.startswith("REANA input parameter"):
        return node_position(spec_checks.locate(parsed.root, "inputs.parameters", name))
    workflow = spec_checks.child(parsed.root, "workflow")
    if workflow is None:
        return None
    if message.startswith("Serial parameter"):
        needle = "${" + name + "}"
    elif message.startswith("Operation"):
        needle = name
    else:
        return None
    found = text.find(needle, workflow.start_mark.index, workflow.end_mark.index)
    if found < 0:
        return None
    line_start = text.rfind("\n", 0, found) + 1
    return text.count("\n", 0, found) + 1, found - line_start + 1


def report(
    spec: SpecFile,
    verdict: str,
    errors: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
    engine: str | None,
) -> dict[str, Any]:
    return {
        "path": spec.api_path,
        "valid": verdict != "invalid",
        "verdict": verdict,
        "engine": engine,
        "errors": errors,
        "warnings": warnings,
    }


def engine_of(parsed: spec_checks.ParsedSpec | None) -> str | None:
    data = parsed.data if parsed is not None else None
    workflow = data.get("workflow") if isinstance(data, dict) else None
    engine = workflow.get("type") if isinstance(workflow, dict) else None
    return engine if isinstance(engine, str) else None


async def validate_spec(
    root_dir: Path, relative: Any, worker: SpecWorker, *, max_bytes: int
) -> dict[str, Any]:
    """The verdict of `reana-client validate` on the spec, with precise messages."""
    worker.require()
    spec = await read_spec(root_dir, relative, max_bytes)
    parsed, problems = await anyio.to_thread.run_sync(
        spec_checks.inspect, spec.raw, spec.folder, root_dir
    )
    engine = engine_of(parsed)
    extras = await anyio.to_thread.run_sync(run_dialog_facts, parsed, spec)
    if problems:
        return {**report(spec, "invalid", [p.to_json() for p in problems], [], engine), **extras}
    answer = await worker.request("validate", path=str(spec.path), workspace=str(spec.folder))
    errors = [{"message": e.get("message", "")} for e in answer.get("errors", [])]
    warnings = located(answer.get("warnings", []), parsed, spec.raw.decode("utf-8"))
    return {**report(spec, answer.get("verdict", "invalid"), errors, warnings, engine), **extras}


async def validate_on_server(
    root_dir: Path, relative: Any, client: ReanaClient, *, max_bytes: int
) -> dict[str, Any]:
    """The verdict of a bundle server (REANA 0.95.0a7+) on the spec: its own
    `POST /api/workflows/validate` of the bundle the run would be created from, its
    `{code, path, message}` errors and warnings located in the spec as ours are.
    A spec too broken to say which files to bundle is judged by our checks alone."""
    spec = await read_spec(root_dir, relative, max_bytes)
    parsed, problems = await anyio.to_thread.run_sync(
        spec_checks.inspect, spec.raw, spec.folder, root_dir
    )
    engine = engine_of(parsed)
    extras = await anyio.to_thread.run_sync(run_dialog_facts, parsed, spec)
    if problems or parsed is None or not isinstance(parsed.data, dict):
        return {**report(spec, "invalid", [p.to_json() for p in problems], [], engine), **extras}
    bundle = await anyio.to_thread.run_sync(build_bundle, spec.path, parsed.data)
    answer = await client.validate_bundle(bundle)
    text = spec.raw.decode("utf-8")
    errors = located([_server_item(e) for e in _items(answer.get("errors"))], parsed, text)
    warnings = located([_server_item(w) for w in _items(answer.get("warnings"))], parsed, text)
    valid = answer.get("valid") is True and not errors
    verdict = "invalid" if not valid else "valid-with-warnings" if warnings else "valid"
    return {
        **report(spec, verdict, errors, warnings, engine),
        **extras,
        "validatedBy": "server",
    }


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _server_item(item: dict[str, Any]) -> dict[str, Any]:
    """A server finding in the shape `located` takes: a dotted `path`, the message with its
    code (`[code] message`), so users can look the code up."""
    message = str(item.get("message") or item.get("code") or "")
    code = item.get("code")
    if isinstance(code, str) and code and code not in message:
        message = f"{message} [{code}]"
    path = item.get("path")
    entry: dict[str, Any] = {"message": message}
    if isinstance(path, str) and path:
        entry["path"] = path.lstrip("$.").replace("/", ".")
    return entry


def run_dialog_facts(parsed: spec_checks.ParsedSpec | None, spec: SpecFile) -> dict[str, Any]:
    """Parameters, inputs and default name for a run dialog (see spec_inputs); blocking."""
    data = parsed.data if parsed is not None else None
    return {
        "parameters": spec_inputs.parameters_of(data),
        "inputs": spec_inputs.inputs_of(data, spec.folder),
        "defaultName": workflow_name(None, spec.api_path),
    }


def workflow_name(name: str | None, spec_path: str) -> str:
    """The workflow's name: the one given (its form checked by the contract), else the spec
    folder's name made acceptable to REANA. REANA would take a UUID for a run id."""
    if not name:
        folder = Path(spec_path).parent.name or "workflow"
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", folder).strip("-")[:100] or "workflow"
    try:
        uuid.UUID(name)
    except ValueError:
        return name
    raise InvalidInput("'name' must not be a UUID (REANA would take it for a run id)", field="name")


@dataclass(frozen=True)
class ValidateRequest:
    """`POST /reana/validate`, as the contract checked it: with a connection whose server
    validates specs itself (REANA 0.95.0a7+), that server is asked."""

    path: str
    connection: str | None = None


async def validate(
    request: ValidateRequest,
    *,
    root_dir: Path,
    worker: SpecWorker,
    reana: ReanaService,
    max_bytes: int,
) -> dict[str, Any]:
    """The verdict on the spec: the connection's server's own, else reana-client's."""
    if request.connection and await bundle_server(reana, request.connection):
        client = reana.client(request.connection)
        return await validate_on_server(root_dir, request.path, client, max_bytes=max_bytes)
    return await validate_spec(root_dir, request.path, worker, max_bytes=max_bytes)


async def bundle_server(reana: ReanaService, connection: str) -> bool:
    """Whether the connection's server validates and loads specs itself (REANA 0.95.0a7+)."""
    try:
        client = reana.client(connection)
    except NotFound:
        return False
    return (await client.server_api()).bundles


async def spec_data(root_dir: Path, spec: SpecFile) -> dict[str, Any] | None:
    """The spec file as data when it is a readable YAML mapping (else None: the validate
    route says what is wrong with it)."""
    parsed, problems = await anyio.to_thread.run_sync(
        spec_checks.inspect, spec.raw, spec.folder, root_dir
    )
    data = parsed.data if parsed is not None and not problems else None
    return data if isinstance(data, dict) else None


@dataclass
class LoadedSpec:
    """What `reana-client create` would send, plus where it came from."""

    spec_file: SpecFile
    specification: dict[str, Any]


async def load_spec(
    root_dir: Path, relative: Any, worker: SpecWorker, *, max_bytes: int
) -> LoadedSpec:
    """Check, then validate and load engine-specifically in the worker (one worker call).

    Raises InvalidInput (code spec_invalid) naming the problems when the spec is not valid.
    """
    worker.require()
    spec = await read_spec(root_dir, relative, max_bytes)
    _, problems = await anyio.to_thread.run_sync(
        spec_checks.inspect, spec.raw, spec.folder, root_dir
    )
    if problems:
        raise not_valid(spec, [p.message for p in problems])
    try:
        answer = await worker.request("load", path=str(spec.path), workspace=str(spec.folder))
    except WorkerFailed as exc:
        if exc.code == "spec_invalid":
            raise not_valid(spec, [exc.message]) from None
        raise
    specification = answer.get("specification") if isinstance(answer, dict) else None
    if not isinstance(specification, dict):
        raise UpstreamError("reana-client returned no specification", code="worker_protocol")
    return LoadedSpec(spec, specification)


async def read_loaded_spec(root_dir: Path, relative: Any, *, max_bytes: int) -> LoadedSpec:
    """The spec as written, for a bundle server that loads it itself: no worker involved."""
    spec = await read_spec(root_dir, relative, max_bytes)
    parsed, problems = await anyio.to_thread.run_sync(
        spec_checks.inspect, spec.raw, spec.folder, root_dir
    )
    if problems or parsed is None or not isinstance(parsed.data, dict):
        raise not_valid(spec, [p.message for p in problems])
    return LoadedSpec(spec, parsed.data)


def not_valid(spec: SpecFile, reasons: list[str]) -> InvalidInput:
    shown = "; ".join(reasons[:3]) or "reana-client rejected it"
    return InvalidInput(
        f"'{spec.api_path}' is not a valid REANA specification: {shown}",
        field="path",
        code="spec_invalid",
    )
