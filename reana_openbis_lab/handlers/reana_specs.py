"""REANA specifications: validate (as reana-client does), and create or run them as a job.

Starting an already created workflow is `POST /reana/connections/{name}/workflows/{id}/start`
(reana_workflows); these routes need the reana-client environment and answer 503 naming
the install command without it, unless the connection's server validates specs itself.
"""

from __future__ import annotations

from ..provenance import run_loop
from ..provenance.run_loop import RunWithInputs
from ..reana.run import CreateRequest, submit_run
from ..reana.validate import ValidateRequest, validate
from .base import ApiHandler, Route, endpoint


class SpecHandler(ApiHandler):
    @property
    def max_bytes(self) -> int:
        return self.services.reana_worker.max_spec_bytes

    async def submit(self, request: CreateRequest) -> None:
        services = self.services
        job = await submit_run(
            request,
            jobs=services.jobs,
            root_dir=services.root_dir,
            worker=services.reana_worker,
            reana=services.reana,
            max_bytes=self.max_bytes,
            prepare=lambda: run_loop.prepare(
                request,
                openbis=services.openbis,
                reana=services.reana,
                root_dir=services.root_dir,
                user=self.current_user.username,
            ),
        )
        self.write_json(job.to_json(), status=202)


class ValidateHandler(SpecHandler):
    @endpoint(body=ValidateRequest)
    async def post(self, body: ValidateRequest) -> None:
        services = self.services
        report = await validate(
            body,
            root_dir=services.root_dir,
            worker=services.reana_worker,
            reana=services.reana,
            max_bytes=self.max_bytes,
        )
        self.write_json(report)


class RunHandler(SpecHandler):
    """Create, upload (with the openBIS inputs) and start the workflow."""

    @endpoint(body=RunWithInputs)
    async def post(self, body: RunWithInputs) -> None:
        await self.submit(body)


class CreateHandler(SpecHandler):
    """Create and upload, without starting."""

    @endpoint(body=CreateRequest)
    async def post(self, body: CreateRequest) -> None:
        await self.submit(body)


routes: list[Route] = [
    (r"/reana/validate", ValidateHandler),
    (r"/reana/create", CreateHandler),
    (r"/reana/run", RunHandler),
]
