"""The provenance loop over REST: a run's record and publications, publishing a run."""

from __future__ import annotations

from ..openbis.browse import checked_perm_id
from ..provenance import crate, lineage, publish
from .base import ApiHandler, Route, endpoint
from .openbis_connections import NAME
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


class LineageHandler(ApiHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        checked = checked_perm_id(perm_id, "permId")
        graph = await self.services.openbis.call(
            name, lineage.dataset_lineage, checked, self.query("depth")
        )
        self.write_json(graph)


class CrateHandler(ApiHandler):
    @endpoint
    async def post(self) -> None:
        self.write_json(await crate.export(self.services, self.json_body()), status=201)


routes: list[Route] = [
    (rf"/openbis/connections/{NAME}/datasets/(?P<perm_id>[^/]+)/lineage", LineageHandler),
    (r"/provenance/crate", CrateHandler),
    (rf"{WORKFLOW}/provenance", RunProvenanceHandler),
    (rf"{WORKFLOW}/publish", PublishHandler),
]
