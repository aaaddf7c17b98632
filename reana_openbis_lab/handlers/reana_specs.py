"""REANA specifications: validate (as reana-client does), and create or run them as a job.

Starting an already created workflow is `POST /reana/connections/{name}/workflows/{id}/start`
(reana_workflows); these routes need the reana-client environment and answer 503 naming
the install command without it.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..provenance import run_loop
from ..reana import workflows
from ..reana.run import RunRequest, check_name, submit_run
from ..reana.validate import read_spec, validate_on_server, validate_spec
from .base import ApiHandler, Route, endpoint


class SpecHandler(ApiHandler):
    @property
    def max_bytes(self) -> int:
        return self.services.reana_worker.max_spec_bytes

    async def bundle_server(self, connection: str) -> bool:
        """Whether the connection's server validates and loads specs itself (REANA 0.95.0a7+)."""
        try:
            client = self.services.reana.client(connection)
        except NotFound:
            return False
        return (await client.server_api()).bundles


class ValidateHandler(SpecHandler):
    @endpoint
    async def post(self) -> None:
        body = self.json_body()
        services = self.services
        connection = body.get("connection")
        if connection and await self.bundle_server(connection):
            report = await validate_on_server(
                services.root_dir,
                body["path"],
                services.reana.client(connection),
                max_bytes=self.max_bytes,
            )
        else:
            report = await validate_spec(
                services.root_dir, body["path"], services.reana_worker, max_bytes=self.max_bytes
            )
        self.write_json(report)


class RunHandler(SpecHandler):
    """Create, upload and (unless `start` is false for this class) start the workflow."""

    start = True

    @endpoint
    async def post(self) -> None:
        request = self.run_request(self.json_body())
        services = self.services
        if not await self.bundle_server(request.connection):  # it needs no reana-client
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
