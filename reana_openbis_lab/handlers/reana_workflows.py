"""REANA workflow runs: paged list, detail, incremental logs, start, stop, delete."""

from __future__ import annotations

from ..errors import InvalidInput
from ..reana import workflows
from ..reana.logs import LogCursor, new_log_text
from ..reana.run import start_warnings
from ..reana.validate import read_spec
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
        cursor = LogCursor.decode(self.query("cursor"))
        logs = await self.reana.client(name).get_logs(workflow)
        self.write_json(new_log_text(logs, cursor))


class WorkflowStartHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """Start, or restart (optionally from the replacement spec at `specPath`)."""
        body = self.json_body()
        options = workflows.check_start_options(body)
        client = self.reana.client(name)
        if options["restart"]:
            replacement = None
            if body.get("specPath") is not None:
                services = self.services
                spec = await read_spec(
                    services.root_dir, body["specPath"], services.reana_worker.max_spec_bytes
                )
                replacement = spec.raw
            result = await workflows.restart(
                client,
                workflow,
                options["parameters"],
                options["operational_options"],
                replacement,
            )
        else:
            result = await client.start_workflow(
                workflow, options["parameters"], options["operational_options"]
            )
        self.write_json(_change(result))


class WorkflowStopHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """A plain stop; REANA declares no forced stop (0.95 refuses the field with 422)."""
        if self.json_body().get("force", False):
            raise InvalidInput(
                "This REANA server offers no forced stop; stop the run without 'force'",
                field="force",
            )
        result = await self.reana.client(name).stop_workflow(workflow)
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
