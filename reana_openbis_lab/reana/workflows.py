"""Workflow runs as the UI sees them: REANA's answers reshaped into one stable form.

REANA spreads a run over several endpoints (status, parameters, specification) and
names things in its own way (`name.N`, `progress.finished.total`, `run_started_at`).
The UI gets one camelCase shape for list items and details, plus the URL of the run
in REANA's own web UI.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from ..errors import InvalidInput
from .client import ReanaClient

#: Statuses a REANA 0.9 run can have (reana-client's RUN_STATUSES).
RUN_STATUSES = (
    "created",
    "queued",
    "pending",
    "running",
    "finished",
    "failed",
    "stopped",
    "deleted",
)
SORT_ORDERS = ("desc", "asc")
#: REANA names runs `<name>.<run>` and restarts `<name>.<run>.<restart>`; names hold no dots.
RUN_NAME = re.compile(r"^(?P<base>[^.]+)\.(?P<run>\d+(?:\.\d+)?)$")


def web_url(server_url: str, workflow_id: str) -> str:
    """Where the run is shown in REANA's web UI ("open in REANA")."""
    return f"{server_url.rstrip('/')}/details/{workflow_id}"


def split_run_name(full_name: str) -> tuple[str, str | None]:
    """`myanalysis.42` -> ("myanalysis", "42"); a restart of it is `myanalysis.42.1` -> "42.1"."""
    match = RUN_NAME.match(full_name)
    if match is None:
        return full_name, None
    return match.group("base"), match.group("run")


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
    if size:
        result["size"] = {"raw": size.get("raw"), "humanReadable": size.get("human_readable")}
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
    """Status, progress, times, parameters and specification of one run, fetched together."""
    status, parameters, specification = await asyncio.gather(
        client.get_status(workflow),
        client.get_parameters(workflow),
        client.get_specification(workflow),
    )
    result = summary(status, client.url)
    result["type"] = parameters.get("type")
    result["parameters"] = parameters.get("parameters") or {}
    result["specification"] = specification.get("specification")
    result["inputParameters"] = specification.get("parameters") or {}
    return result


def check_start_options(body: dict[str, Any]) -> dict[str, Any]:
    """The start request's overrides, type-checked here so REANA never sees nonsense."""
    parameters = body.get("parameters")
    options = body.get("operationalOptions")
    if parameters is not None and not isinstance(parameters, dict):
        raise InvalidInput("'parameters' must be an object of name -> value", field="parameters")
    if options is not None and not isinstance(options, dict):
        raise InvalidInput(
            "'operationalOptions' must be an object of name -> value", field="operationalOptions"
        )
    for name, value in (parameters or {}).items():
        if not isinstance(value, (str, int, float, bool)) or value is None:
            raise InvalidInput(
                f"Parameter '{name}' must be a string, number or boolean", field="parameters"
            )
    restart = body.get("restart", False)
    if not isinstance(restart, bool):
        raise InvalidInput("'restart' must be true or false", field="restart")
    return {"parameters": parameters, "operational_options": options, "restart": restart}
