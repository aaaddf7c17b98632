"""POST /requirements: freeze a notebook's kernel environment into files next to it."""

from __future__ import annotations

from ..requirements.service import ExportRequest
from .base import ApiHandler, Route, endpoint


class RequirementsHandler(ApiHandler):
    @endpoint(body=ExportRequest)
    async def post(self, body: ExportRequest) -> None:
        self.write_json(await self.services.requirements.export(body))


routes: list[Route] = [(r"/requirements", RequirementsHandler)]
