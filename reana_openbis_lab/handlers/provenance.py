"""The provenance loop over REST: a run's record and publications, publishing a run."""

from __future__ import annotations

from ..provenance import crate, lineage, publish
from ..provenance.crate import CrateRequest
from ..provenance.publish import PublishRequest
from .base import ApiHandler, Route, endpoint
from .openbis_connections import NAME
from .reana_connections import ReanaHandler
from .reana_workflows import WORKFLOW


class RunProvenanceHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        overview = await publish.overview(self.reana.client(name), self.services.openbis, workflow)
        self.write_json(overview)


class PublishHandler(ReanaHandler):
    @endpoint(body=PublishRequest)
    async def post(self, name: str, workflow: str, body: PublishRequest) -> None:
        services = self.services
        job = await publish.start_publish(
            body,
            client=self.reana.client(name),
            openbis=services.openbis,
            jobs=services.jobs,
            root_dir=services.root_dir,
            workflow=workflow,
        )
        self.write_json(job.to_json(), status=202)


class LineageHandler(ApiHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        graph = await self.services.openbis.call(
            name, lineage.dataset_lineage, perm_id, self.query("depth")
        )
        self.write_json(graph)


class CrateHandler(ApiHandler):
    @endpoint(body=CrateRequest)
    async def post(self, body: CrateRequest) -> None:
        services = self.services
        exported = await crate.export(
            body, openbis=services.openbis, reana=services.reana, root_dir=services.root_dir
        )
        self.write_json(exported, status=201)


routes: list[Route] = [
    (rf"/openbis/connections/{NAME}/datasets/(?P<perm_id>[^/]+)/lineage", LineageHandler),
    (r"/provenance/crate", CrateHandler),
    (rf"{WORKFLOW}/provenance", RunProvenanceHandler),
    (rf"{WORKFLOW}/publish", PublishHandler),
]
