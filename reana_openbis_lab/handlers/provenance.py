"""The provenance loop over REST: a run's record and publications, publishing a run."""

from __future__ import annotations

from ..provenance import publish
from .base import Route, endpoint
from .reana_connections import ReanaHandler
from .reana_workflows import WORKFLOW


class RunProvenanceHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        self.write_json(await publish.overview(self.services, name, workflow))


class PublishHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        job = await publish.start_publish(self.services, name, workflow, self.json_body())
        self.write_json(job.to_json(), status=202)


routes: list[Route] = [
    (rf"{WORKFLOW}/provenance", RunProvenanceHandler),
    (rf"{WORKFLOW}/publish", PublishHandler),
]
