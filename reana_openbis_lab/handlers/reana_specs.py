"""REANA specifications: validate (as reana-client does), and create or run them as a job.

Starting an already created workflow is `POST /reana/connections/{name}/workflows/{id}/start`
(reana_workflows); these routes need the reana-client environment and answer 503 naming
the install command without it.
"""

from __future__ import annotations

from typing import Any

from ..provenance import run_loop
from ..reana import workflows
from ..reana.run import RunRequest, check_name, submit_run
from ..reana.validate import read_spec, validate_spec
from .base import ApiHandler, Route, endpoint


class SpecHandler(ApiHandler):
    @property
    def max_bytes(self) -> int:
        return self.services.reana_worker.max_spec_bytes


class ValidateHandler(SpecHandler):
    @endpoint
    async def post(self) -> None:
        path = self.json_body()["path"]
        services = self.services
        report = await validate_spec(
            services.root_dir, path, services.reana_worker, max_bytes=self.max_bytes
        )
        self.write_json(report)


class RunHandler(SpecHandler):
    """Create, upload and (unless `start` is false for this class) start the workflow."""

    start = True

    @endpoint
    async def post(self) -> None:
        request = self.run_request(self.json_body())
        services = self.services
        services.reana_worker.require()
        services.reana.client(request.connection)  # unknown connection: 404 now, not in the job
        await read_spec(services.root_dir, request.path, self.max_bytes)  # missing, huge: now
        extras, details = await run_loop.prepare(
            services, self.json_body(), request, self.current_user.username
        )
        job = submit_run(
            services.jobs,
            request,
            root_dir=services.root_dir,
            worker=services.reana_worker,
            client_for=services.reana.client,
            max_bytes=self.max_bytes,
            extras=extras,
            details=details,
        )
        self.write_json(job.to_json(), status=202)

    def run_request(self, body: dict[str, Any]) -> RunRequest:
        connection, path = body["connection"], body["path"]
        options = workflows.check_start_options(body) if self.start else {}
        return RunRequest(
            connection=connection,
            path=path,
            name=check_name(body.get("name"), path),
            parameters=options.get("parameters") or {},
            operational_options=options.get("operational_options") or {},
            start=self.start,
        )


class CreateHandler(RunHandler):
    start = False


routes: list[Route] = [
    (r"/reana/validate", ValidateHandler),
    (r"/reana/create", CreateHandler),
    (r"/reana/run", RunHandler),
]
