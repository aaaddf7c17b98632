"""Workflow runs as the UI sees them: REANA's answers reshaped into one stable form.

REANA spreads a run over several endpoints (status, parameters, specification) and
names things in its own way (`name.N`, `progress.finished.total`, `run_started_at`).
The UI gets one camelCase shape for list items and details, plus the URL of the run
in REANA's own web UI.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import yaml

from ..errors import InvalidInput, LabError, NotFound, UpstreamError, UpstreamTimeout
from . import retention
from .client import RUN_STATUSES, ReanaClient
from .logs import failure_reason

SORT_ORDERS = ("desc", "asc")
#: REANA names runs `<name>.<run>` and restarts `<name>.<run>.<restart>`; names hold no dots.
RUN_NAME = re.compile(r"^(?P<base>[^.]+)\.(?P<run>\d+(?:\.\d+)?)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def web_url(server_url: str, workflow_id: str) -> str:
    """Where the run is shown in REANA's web UI ("open in REANA")."""
    return f"{server_url.rstrip('/')}/details/{workflow_id}"


def split_run_name(full_name: str) -> tuple[str, str | None]:
    """`myanalysis.42` -> ("myanalysis", "42"); a restart of it is `myanalysis.42.1` -> "42.1"."""
    match = RUN_NAME.match(full_name)
    if match is None:
        return full_name, None
    return match.group("base"), match.group("run")


def run_name(answer: dict[str, Any]) -> str | None:
    """The run's full name from a create, start or restart answer.

    Create answers `name.N`; start, restart (and prune) answer the base name with a separate
    `run_number` ("2", or "1.1" for a restart's clone): joined, so the UI follows the run it
    started, not whichever run of that name is newest.
    """
    name = answer.get("workflow_name")
    if not isinstance(name, str) or not name:
        return None
    number = answer.get("run_number")
    if number in (None, "") or RUN_NAME.match(name):
        return name
    return f"{name}.{number}"


async def display_name(client: ReanaClient, workflow: str) -> str:
    """A run's `name.N` for titles: asked of REANA when only its UUID is known."""
    if not _UUID.match(workflow):
        return workflow
    status = await client.get_status(workflow)
    name = status.get("name")
    return name if isinstance(name, str) and name else workflow


def _count(progress: dict[str, Any], key: str) -> int | None:
    item = progress.get(key)
    if isinstance(item, dict) and isinstance(item.get("total"), int):
        return item["total"]
    return None


def _text_or_none(value: Any) -> str | None:
    """REANA writes absent step names as the string "None"."""
    return None if value in (None, "", "None") else str(value)


def summary(raw: dict[str, Any], server_url: str) -> dict[str, Any]:
    """One run from the list or status endpoint, in the UI's shape."""
    workflow_id = str(raw.get("id") or raw.get("workflow_id") or "")
    full_name = str(raw.get("name") or raw.get("workflow_name") or "")
    base, run_number = split_run_name(full_name)
    progress = raw.get("progress") if isinstance(raw.get("progress"), dict) else None
    size = raw.get("size") if isinstance(raw.get("size"), dict) else None
    result: dict[str, Any] = {
        "id": workflow_id,
        "name": full_name,
        "baseName": base,
        "runNumber": run_number,
        "status": raw.get("status"),
        "created": raw.get("created"),
        "user": raw.get("user"),
        "startedAt": progress.get("run_started_at") if progress else None,
        "finishedAt": progress.get("run_finished_at") if progress else None,
        "stoppedAt": progress.get("run_stopped_at") if progress else None,
        "progress": None,
        "size": None,
        "reanaUrl": web_url(server_url, workflow_id) if workflow_id else None,
    }
    if progress:
        result["progress"] = {
            "total": _count(progress, "total"),
            "finished": _count(progress, "finished"),
            "running": _count(progress, "running"),
            "failed": _count(progress, "failed"),
            "currentStep": _text_or_none(progress.get("current_step_name")),
            "currentCommand": _text_or_none(progress.get("current_command")),
        }
    # REANA reports -1 (and "") until its disk accounting has measured the workspace.
    if size and isinstance(size.get("raw"), int) and size["raw"] >= 0:
        result["size"] = {"raw": size["raw"], "humanReadable": size.get("human_readable") or None}
    return result


async def list_page(
    client: ReanaClient,
    *,
    page: int,
    size: int,
    search: str | None,
    status: list[str] | None,
    sort: str,
) -> dict[str, Any]:
    for value in status or []:
        if value not in RUN_STATUSES:
            raise InvalidInput(f"'status' must be one of {', '.join(RUN_STATUSES)}", field="status")
    if sort not in SORT_ORDERS:
        raise InvalidInput("'sort' must be 'desc' or 'asc' (by creation time)", field="sort")
    items, total = await client.list_workflows(
        page=page, size=size, search=search or None, status=status or None, sort=sort
    )
    return {
        "items": [summary(item, client.url) for item in items if isinstance(item, dict)],
        "total": total,
        "page": page,
        "size": size,
    }


async def detail(client: ReanaClient, workflow: str) -> dict[str, Any]:
    """Status, progress, times, parameters and specification of one run, fetched together;
    its retention rules and, for a failed run, why it failed.

    For a run that does not exist REANA answers 404 on /status and /parameters but 403 on
    /specification: whichever came first used to decide. A 404 anywhere decides now, then
    the status's own failure, so an unknown run is always "not found", never "forbidden".
    `parameters` are the declared ones (the spec's `inputs.parameters`, from /parameters);
    `inputParameters` only the overrides given at start (REANA's /specification answers
    `{}` when there were none).
    """
    *answers, rules = await asyncio.gather(
        client.get_status(workflow),
        client.get_parameters(workflow),
        client.get_specification(workflow),
        _retention_rules(client, workflow),  # never fails: None when REANA cannot say
        return_exceptions=True,
    )
    failures = [a for a in answers if isinstance(a, BaseException)]
    if failures:
        not_found = next((f for f in failures if isinstance(f, NotFound)), None)
        first = not_found or next((f for f in failures if isinstance(f, LabError)), failures[0])
        raise first
    status, parameters, specification = [a for a in answers if isinstance(a, dict)]
    result = summary(status, client.url)
    result["type"] = parameters.get("type")
    declared = parameters.get("parameters")
    result["parameters"] = declared if isinstance(declared, dict) else {}
    result["specification"] = specification.get("specification")
    given = specification.get("parameters")
    result["inputParameters"] = given if isinstance(given, dict) else {}
    result["retention"] = retention.summary(rules) if isinstance(rules, list) else None
    result["failure"] = await _failure(client, workflow) if result["status"] == "failed" else None
    return result


async def restart(
    client: ReanaClient,
    workflow: str,
    parameters: dict[str, Any] | None,
    operational_options: dict[str, Any] | None,
    replacement: bytes | None,
) -> dict[str, Any]:
    """Restart a finished or failed run as its server wants it.

    A bundle server (REANA 0.95.0a7+) restarts with `POST .../restart` and always a
    replacement specification: the given one, or else the run's own (as JSON, which is
    YAML). A REANA 0.9 server restarts with `start` and `restart: true`, and takes a
    replacement as the loaded specification object.
    """
    if (await client.server_api()).bundles:
        if replacement is None:
            current = await client.get_specification(workflow)
            replacement = json.dumps(current.get("specification") or {}).encode()
        return await client.restart_workflow(workflow, replacement, parameters, operational_options)
    specification = None
    if replacement is not None:
        loaded = await anyio.to_thread.run_sync(yaml.safe_load, replacement)
        if not isinstance(loaded, dict):
            raise InvalidInput("'specPath' is not a REANA specification", field="specPath")
        specification = loaded
    return await client.start_workflow(
        workflow,
        parameters,
        operational_options,
        restart=True,
        reana_specification=specification,
    )


async def _retention_rules(client: ReanaClient, workflow: str) -> list[dict[str, Any]] | None:
    """The run's retention rules; None when REANA cannot say (the rest of the detail stands)."""
    try:
        return await client.get_retention_rules(workflow)
    except (UpstreamError, UpstreamTimeout, InvalidInput, NotFound):
        return None


async def _failure(client: ReanaClient, workflow: str) -> dict[str, Any] | None:
    """The failed run's reason from its logs; None when they cannot be read."""
    try:
        return failure_reason(await client.get_logs(workflow))
    except (UpstreamError, UpstreamTimeout, NotFound):
        return None


@dataclass(frozen=True)
class StartOptions:
    """`POST .../workflows/{workflow}/start`, as the contract checked it."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    operational_options: Mapping[str, Any] = field(default_factory=dict)
    restart: bool = False
    spec_path: str | None = None


@dataclass(frozen=True)
class StopOptions:
    """`POST .../workflows/{workflow}/stop`, as the contract checked it."""

    force: bool = False


async def start(
    request: StartOptions,
    *,
    client: ReanaClient,
    workflow: str,
    read_replacement: Callable[[str], Awaitable[bytes]],
) -> dict[str, Any]:
    """Start a created run, or restart one (from the replacement spec at `spec_path`, read by
    `read_replacement`, when given)."""
    parameters, options = dict(request.parameters), dict(request.operational_options)
    if not request.restart:
        return await client.start_workflow(workflow, parameters, options)
    replacement = await read_replacement(request.spec_path) if request.spec_path else None
    return await restart(client, workflow, parameters, options, replacement)


async def stop(request: StopOptions, *, client: ReanaClient, workflow: str) -> dict[str, Any]:
    """A plain stop; REANA declares no forced stop (0.95 refuses the field with 422)."""
    if request.force:
        raise InvalidInput(
            "This REANA server offers no forced stop; stop the run without 'force'", field="force"
        )
    return await client.stop_workflow(workflow)
