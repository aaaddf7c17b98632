"""`/api/workflows...`: list, create, start, status, stop, delete, logs, specification, parameters."""

from __future__ import annotations

import asyncio
import re
import shutil
from typing import Any

from tornado import web

from .account import BadRetention
from .api095 import bundle_spec, item_extras, judge, strict_body
from .handler_base import COMMON, ReanaHandler
from .handlers_account import refuse_over_quota
from .model import ACCOUNTED_STATUSES, Workflow
from .paging import page_fields
from .store import BadQuery, LookupFailed
from .workspace import workspace_size


def _change_view(workflow: Workflow, message: str) -> dict[str, Any]:
    return {
        "message": message,
        "workflow_id": workflow.id,
        "workflow_name": workflow.full_name,
        "status": workflow.status,
        "user": workflow.user,
    }


ENGINES = ("yadage", "cwl", "serial", "snakemake")
#: The body fields 0.95's status change and start declare (others: 422).
STATUS_FIELDS = {"all_runs", "input_parameters", "operational_options", "restart", "workspace"}
START_FIELDS = {"input_parameters", "operational_options", "restart"}
_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I)


def _check_name(name: str) -> None:
    """reana-server's name rules and codes (a dot is a 403 there); `/` could never be addressed."""
    if "." in name:
        raise web.HTTPError(403, f'Workflow name {name} contains illegal character "."')
    if _UUID4.match(name):
        raise web.HTTPError(400, "Workflow name cannot be a valid UUIDv4.")
    if not name.isascii() or "/" in name:
        raise web.HTTPError(400, f"Workflow name {name} is not valid.")


class WorkflowsHandler(ReanaHandler):
    declared = {"get": COMMON, "post": frozenset({201, 400, 403, 404, 500, 501})}

    async def get(self) -> None:
        if self.get_query_argument("type", "batch") == "interactive":
            self.reply({"items": [], "total": 0})  # the sandbox opens no interactive sessions
            return
        statuses = [s for raw in self.get_query_arguments("status") for s in raw.split(",") if s]
        try:
            page = self.store.query(
                statuses=statuses or None,
                search=self.get_query_argument("search", None),
                sort=self.get_query_argument("sort", None),
                page=self.positive_int("page"),
                size=self.positive_int("size"),
                id_or_name=self.get_query_argument("workflow_id_or_name", None),
            )
        except BadQuery as exc:
            raise web.HTTPError(400, str(exc)) from None
        except LookupFailed as exc:
            raise web.HTTPError(404, str(exc)) from None
        sizes: dict[str, int | None] = {w.id: None for w in page.items}
        if self.flag("include_workspace_size") or self.flag("verbose"):
            accounted = [w for w in page.items if w.status in ACCOUNTED_STATUSES]
            sizes.update(await asyncio.to_thread(self._workspace_sizes, accounted))
        items = [w.item_view(size=sizes[w.id]) for w in page.items]
        if self.api095:
            items = [{**item, **item_extras(w)} for item, w in zip(items, page.items, strict=True)]
        paging = page_fields(self.positive_int("page"), self.positive_int("size"), page.total)
        self.reply({"items": items, **paging, "user_has_workflows": bool(self.store.by_id)})

    def _workspace_sizes(self, workflows: list[Workflow]) -> dict[str, int | None]:
        return {w.id: workspace_size(self.store.open_workspace(w)) for w in workflows}

    async def post(self) -> None:
        name = self.get_query_argument("workflow_name", "") or "workflow"
        _check_name(name)
        if self.api095:
            await self._create_from_bundle(name)
            return
        specification = self.json_body(dict, "reana_specification")
        await refuse_over_quota(self)
        engine = specification.get("workflow")
        if not isinstance(engine, dict) or "type" not in engine:  # reana-server's KeyError text
            raise web.HTTPError(400, "'type'" if isinstance(engine, dict) else "'workflow'")
        if engine["type"] not in ENGINES:
            raise web.HTTPError(500, "Unknown workflow type.")
        try:
            workflow = self.store.create(name, specification)
        except BadRetention as exc:
            raise web.HTTPError(400, str(exc)) from None
        self.reply(
            {
                "message": "The workflow has been successfully created.",
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
            },
            201,
        )

    async def _create_from_bundle(self, name: str) -> None:
        """0.95.0a7 creates only from a multipart bundle, validated first."""
        specification = bundle_spec(self)
        report = judge(specification)
        if not report["valid"]:
            raise web.HTTPError(400, report["errors"][0]["message"])
        await refuse_over_quota(self)
        try:
            workflow = self.store.create(name, specification)
        except BadRetention as exc:
            raise web.HTTPError(400, str(exc)) from None
        self.reply(
            {
                "message": "The workflow has been successfully created.",
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
                "validation_warnings": report["warnings"],
            },
            201,
        )


class StatusHandler(ReanaHandler):
    declared = {"get": COMMON, "put": frozenset({200, 400, 403, 404, 409, 500, 501})}

    def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        self.reply(
            {
                "id": workflow.id,
                "name": workflow.full_name,
                "created": workflow.created,
                "status": workflow.status,
                "user": workflow.user,
                "progress": workflow.progress_view(),
                "logs": workflow.logs_text(workflow.jobs),
            }
        )

    async def put(self, id_or_name: str) -> None:
        """reana-server passes these to the workflow controller, whose refusals are 409s."""
        workflow = self.workflow(id_or_name)
        wanted = self.get_query_argument("status", "")
        if self.api095:  # fields the operation does not declare (force_stop too): 422
            options = strict_body(self, STATUS_FIELDS)
        else:
            options = self.json_body(dict, "parameters")
        if wanted == "start":
            if workflow.status != "created":
                raise web.HTTPError(409, _not_startable(workflow))
            launch(self, workflow, options)
            self.reply(_change_view(workflow, "Workflow successfully launched"))
        elif wanted == "stop":
            # The workflow controller stops running runs only: created, queued and pending
            # ones are "not running" (named by UUID, as it words it).
            if workflow.status != "running":
                raise web.HTTPError(409, f"Workflow {workflow.id} is not running.")
            self.engine.stop(workflow)
            self.reply(_change_view(workflow, "Workflow successfully stopped"))
        elif wanted == "deleted":
            await self._delete(workflow, options)
        else:
            raise web.HTTPError(400, f"Status {wanted} is not one of: start, stop, deleted")

    async def _delete(self, workflow: Workflow, options: dict[str, Any]) -> None:
        if options.get("workspace") is False:
            raise web.HTTPError(400, "Workspace must always be deleted when deleting a workflow.")
        runs = list(self.store.runs[workflow.name]) if options.get("all_runs") else [workflow]
        running = next((w for w in runs if w.status == "running"), None)
        if running is not None:
            raise web.HTTPError(
                409, f"Workflow {running.full_name} cannot be deleted as it is currently running."
            )
        for run in runs:
            self.engine.cancel(run)
            await asyncio.to_thread(shutil.rmtree, self.store.delete(run), ignore_errors=True)
        self.reply(_change_view(workflow, "Workflow successfully deleted"))


def _not_startable(workflow: Workflow) -> str:
    return (
        f"Workflow {workflow.full_name} is already {workflow.status} and cannot be started again."
    )


#: reana-commons' operational options and the engines that take them.
OPERATIONAL_OPTIONS = {
    "CACHE": ("serial",),
    "FROM": ("serial",),
    "TARGET": ("serial", "cwl"),
    "toplevel": ("yadage",),
    "initdir": ("yadage",),
    "initfiles": ("yadage",),
    "accept_metadir": ("yadage",),
    "report": ("snakemake",),
}


def run_options(
    options: dict[str, Any], workflow: Workflow
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The input parameters and operational options of a start request, checked as
    reana-server checks them, with its texts (reana-commons' keep reana-client's prefix)."""
    parameters = options.get("input_parameters") or {}
    operational = options.get("operational_options") or {}
    if not isinstance(parameters, dict) or not isinstance(operational, dict):
        raise web.HTTPError(
            400, "Fields 'input_parameters' and 'operational_options' must be objects."
        )
    declared = workflow.spec_parameters()
    for name in parameters:
        if name not in declared:
            raise web.HTTPError(400, f'Input parameter "{name}" is not present in reana.yaml')
    for name in operational:
        engines = OPERATIONAL_OPTIONS.get(name)
        if engines is None:
            raise web.HTTPError(400, f'==> ERROR: Operational option "{name}" not supported.')
        if workflow.type not in engines:
            raise web.HTTPError(
                400,
                f'==> ERROR: Operational option "{name}" not supported for'
                f" {workflow.type} workflows.",
            )
    return dict(parameters), dict(operational)


def launch(handler: ReanaHandler, workflow: Workflow, options: dict[str, Any]) -> None:
    workflow.input_parameters, workflow.operational_options = run_options(options, workflow)
    handler.engine.start(workflow)


class StartHandler(ReanaHandler):
    """reana-server's own start: its refusals are 403s, and it names the run apart from its number."""

    declared = {"post": frozenset({200, 400, 403, 404, 409, 500, 501})}

    async def post(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        if self.api095:
            options = strict_body(self, START_FIELDS)
        else:
            options = self.json_body(dict, "parameters")
        await refuse_over_quota(self)
        run_options(options, workflow)
        if "restart" in options:
            if workflow.status not in ("finished", "failed"):
                raise web.HTTPError(403, "Only finished or failed workflows can be restarted.")
            specification = options.get("reana_specification")
            if specification is not None and not isinstance(specification, dict):
                raise web.HTTPError(400, "Field 'reana_specification' must be an object.")
            try:
                workflow = self.store.restart(workflow, specification)
            except BadRetention as exc:
                raise web.HTTPError(400, str(exc)) from None
        elif workflow.status != "created":
            raise web.HTTPError(403, _not_startable(workflow))
        launch(self, workflow, options)
        warnings = judge(workflow.specification)["warnings"] if self.api095 else []
        self.reply(submission(workflow, warnings, self.api095))


def submission(workflow: Workflow, warnings: list[dict[str, str]], api095: bool) -> dict[str, Any]:
    """reana-server's answer to a start or restart: the base name and a separate run number;
    0.95.0a7 adds what revalidating the spec found."""
    answer: dict[str, Any] = {
        "message": "Workflow submitted.",
        "workflow_id": workflow.id,
        "workflow_name": workflow.name,
        "status": workflow.status,
        "run_number": workflow.run_label,
        "user": workflow.user,
    }
    if api095:
        answer["validation_warnings"] = warnings
    return answer


class LogsHandler(ReanaHandler):
    """Job logs are paged (`page`, `size`) and narrowed by step names sent as the JSON body."""

    declared = {"get": COMMON}

    def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        steps = self.json_body(list, "steps")
        jobs = [j for j in workflow.jobs if not steps or j.name in steps]
        size = self.positive_int("size")
        if size is not None:
            first = ((self.positive_int("page") or 1) - 1) * size
            jobs = jobs[first : first + size]
        body: dict[str, Any] = {
            "workflow_id": workflow.id,
            "workflow_name": workflow.full_name,
            "user": workflow.user,
            "logs": workflow.logs_text(jobs, services=self.api095),
        }
        if self.api095:
            body["live_logs_enabled"] = False
        self.reply(body)


class SpecificationHandler(ReanaHandler):
    """`parameters` holds the input parameters given at start (`{}` when none), not the
    declared ones; an unknown run is a 403 here, where /status and /parameters say 404."""

    declared = {"get": frozenset({200, 403, 404, 500})}

    def get(self, id_or_name: str) -> None:
        try:
            workflow = self.store.find(id_or_name)
        except LookupFailed as exc:
            raise web.HTTPError(403, str(exc)) from None
        self.reply(
            {"specification": workflow.specification, "parameters": workflow.input_parameters}
        )


class ParametersHandler(ReanaHandler):
    declared = {"get": COMMON}

    def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        self.reply(
            {
                "id": workflow.id,
                "name": workflow.full_name,
                "type": workflow.type,
                "parameters": workflow.spec_parameters(),
            }
        )


class RetentionRulesHandler(ReanaHandler):
    """The run's rules: from its spec's `workspace.retention_days` and the server's period."""

    declared = {"get": frozenset({200, 401, 403, 404, 500})}

    def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        self.reply(
            {
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
                "retention_rules": [r.view() for r in workflow.retention_rules],
            }
        )
