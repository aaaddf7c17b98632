"""REANA workflow runs: paged list, detail, incremental logs, start, stop, delete."""

from __future__ import annotations

import re

from ..errors import InvalidInput
from ..reana import workflows
from ..reana.logs import LogCursor, new_log_text
from .base import Route, endpoint
from .reana_connections import CONNECTION, ReanaHandler

WORKFLOW = rf"{CONNECTION}/workflows/(?P<workflow>[^/]+)"
MAX_SEARCH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_workflow(workflow: str) -> str:
    """A run's UUID, name or name.N; anything longer or with control characters is no such thing."""
    if not workflow or len(workflow) > 256 or _CONTROL.search(workflow):
        raise InvalidInput("'workflow' is not a valid workflow id or name", field="workflow")
    return workflow


class WorkflowsHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        search = self.query("search") or None
        if search is not None and len(search) > MAX_SEARCH:
            raise InvalidInput(f"'search' must be at most {MAX_SEARCH} characters", field="search")
        status = [s.strip() for s in (self.query("status") or "").split(",") if s.strip()]
        page = await workflows.list_page(
            self.reana.client(name),
            page=self.query_int("page", 1, minimum=1, maximum=1_000_000),
            size=self.query_int("size", 20, minimum=1, maximum=200),
            search=search,
            status=status,
            sort=self.query("sort") or "desc",
        )
        self.write_json(page)


class WorkflowHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        self.write_json(await workflows.detail(self.reana.client(name), check_workflow(workflow)))

    @endpoint
    async def delete(self, name: str, workflow: str) -> None:
        """`workspace=false` asks to keep the files, which REANA 0.9 refuses (400)."""
        workspace = _query_bool(self, "workspace", True)
        all_runs = _query_bool(self, "allRuns", False)
        result = await self.reana.client(name).delete_workflow(
            check_workflow(workflow), workspace, all_runs=all_runs
        )
        self.write_json(_change(result))


class WorkflowLogsHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        cursor = LogCursor.decode(self.query("cursor"))
        logs = await self.reana.client(name).get_logs(check_workflow(workflow))
        self.write_json(new_log_text(logs, cursor))


class WorkflowStartHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        options = workflows.check_start_options(self.json_body())
        result = await self.reana.client(name).start_workflow(
            check_workflow(workflow),
            options["parameters"],
            options["operational_options"],
            restart=options["restart"],
        )
        self.write_json(_change(result))


class WorkflowStopHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        body = self.json_body()
        force = self.get_json_or_400(body, "force", bool, required=False) or False
        result = await self.reana.client(name).stop_workflow(check_workflow(workflow), force=force)
        self.write_json(_change(result))


def _change(result: dict) -> dict:
    """REANA's answer to start/stop/delete, in the UI's words."""
    return {
        "id": result.get("workflow_id") or result.get("id"),
        "name": result.get("workflow_name"),
        "status": result.get("status"),
        "message": result.get("message"),
    }


def _query_bool(handler: ReanaHandler, key: str, default: bool) -> bool:
    raw = handler.query(key)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise InvalidInput(f"'{key}' must be true or false", field=key)


routes: list[Route] = [
    (rf"{CONNECTION}/workflows", WorkflowsHandler),
    (WORKFLOW, WorkflowHandler),
    (rf"{WORKFLOW}/logs", WorkflowLogsHandler),
    (rf"{WORKFLOW}/start", WorkflowStartHandler),
    (rf"{WORKFLOW}/stop", WorkflowStopHandler),
]
