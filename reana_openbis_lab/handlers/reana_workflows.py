"""REANA workflow runs: paged list, detail, incremental logs, start, stop, delete."""

from __future__ import annotations

from ..reana import workflows
from ..reana.logs import LogCursor, new_log_text
from ..reana.run import start_warnings
from ..reana.validate import read_spec
from ..reana.workflows import StartOptions, StopOptions
from .base import Route, endpoint
from .reana_connections import CONNECTION, ReanaHandler

#: A run's UUID, name or name.N; its form is checked by the route's OpenAPI parameter.
WORKFLOW = rf"{CONNECTION}/workflows/(?P<workflow>[^/]+)"


class WorkflowsHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        status = [s.strip() for s in (self.query("status") or "").split(",") if s.strip()]
        page = await workflows.list_page(
            self.reana.client(name),
            page=self.query("page"),
            size=self.query("size"),
            search=self.query("search"),
            status=status,
            sort=self.query("sort"),
        )
        self.write_json(page)


class WorkflowHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        self.write_json(await workflows.detail(self.reana.client(name), workflow))

    @endpoint
    async def delete(self, name: str, workflow: str) -> None:
        """`workspace=false` asks to keep the files, which REANA 0.9 refuses (400)."""
        result = await self.reana.client(name).delete_workflow(
            workflow, self.query("workspace"), all_runs=self.query("allRuns")
        )
        self.write_json(_change(result))


class WorkflowLogsHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        """`steps` (comma-separated step names) asks REANA for those steps' job logs only."""
        cursor = LogCursor.decode(self.query("cursor"))
        steps = [s.strip() for s in (self.query("steps") or "").split(",") if s.strip()]
        logs = await self.reana.client(name).get_logs(workflow, steps=steps or None)
        self.write_json(new_log_text(logs, cursor))


class WorkflowStartHandler(ReanaHandler):
    @endpoint(body=StartOptions)
    async def post(self, name: str, workflow: str, body: StartOptions) -> None:
        """Start, or restart (optionally from the replacement spec at `specPath`)."""
        services = self.services

        async def read_replacement(path: str) -> bytes:
            spec = await read_spec(
                services.root_dir, path, services.reana_worker.max_spec_bytes, field="specPath"
            )
            return spec.raw

        result = await workflows.start(
            body,
            client=self.reana.client(name),
            workflow=workflow,
            read_replacement=read_replacement,
        )
        self.write_json(_change(result))


class WorkflowStopHandler(ReanaHandler):
    @endpoint(body=StopOptions)
    async def post(self, name: str, workflow: str, body: StopOptions) -> None:
        result = await workflows.stop(body, client=self.reana.client(name), workflow=workflow)
        self.write_json(_change(result))


def _change(result: dict) -> dict:
    """REANA's answer to start/stop/delete, in the UI's words."""
    return {
        "id": result.get("workflow_id") or result.get("id"),
        "name": workflows.run_name(result),
        "status": result.get("status"),
        "message": result.get("message"),
        "warnings": start_warnings(result),
    }


routes: list[Route] = [
    (rf"{CONNECTION}/workflows", WorkflowsHandler),
    (WORKFLOW, WorkflowHandler),
    (rf"{WORKFLOW}/logs", WorkflowLogsHandler),
    (rf"{WORKFLOW}/start", WorkflowStartHandler),
    (rf"{WORKFLOW}/stop", WorkflowStopHandler),
]
