"""Version handshake and the REST contract, so the frontend and clients can check both."""

from __future__ import annotations

from importlib.resources import files

from .base import ApiHandler, Route, endpoint


class InfoHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        services = self.services
        self.write_json(
            {
                "name": "reana_openbis_lab",
                "version": services.version,
                "capabilities": services.capabilities,
            }
        )


class OpenApiHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        document = files("reana_openbis_lab").joinpath("openapi.yaml").read_bytes()
        self.finish(document, set_content_type="application/yaml")


routes: list[Route] = [
    (r"/info", InfoHandler),
    (r"/openapi.yaml", OpenApiHandler),
]
