"""What a REANA server offers (`/api/info`), and a spec checked against its limits."""

from __future__ import annotations

from ..reana import server_info
from ..reana.server_info import SpecLimitsRequest
from .base import Route, endpoint
from .reana_connections import CONNECTION, ReanaHandler


class ServerInfoHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.write_json(server_info.summary(await self.reana.server_info(name)))


class SpecLimitsHandler(ReanaHandler):
    @endpoint(body=SpecLimitsRequest)
    async def post(self, name: str, body: SpecLimitsRequest) -> None:
        services = self.services
        result = await server_info.spec_limits(
            body,
            info=await self.reana.server_info(name),
            root_dir=services.root_dir,
            max_bytes=services.reana_worker.max_spec_bytes,
        )
        self.write_json(result)


routes: list[Route] = [
    (rf"{CONNECTION}/info", ServerInfoHandler),
    (rf"{CONNECTION}/spec-limits", SpecLimitsHandler),
]
