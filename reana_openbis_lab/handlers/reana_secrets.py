"""A REANA user's secrets: list (names and types), add, delete. Values go one way, to REANA."""

from __future__ import annotations

from ..reana import secrets
from ..reana.secrets import NewSecret
from .base import Route, endpoint
from .reana_connections import CONNECTION, ReanaHandler


class SecretsHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.write_json({"secrets": await secrets.listed(self.reana.client(name))})

    @endpoint(body=NewSecret)
    async def post(self, name: str, body: NewSecret) -> None:
        self.write_json(await secrets.add(self.reana.client(name), body), status=201)


class SecretHandler(ReanaHandler):
    @endpoint
    async def delete(self, name: str, secret: str) -> None:
        await secrets.delete(self.reana.client(name), secret)
        self.set_status(204)
        self.finish()


routes: list[Route] = [
    (rf"{CONNECTION}/secrets", SecretsHandler),
    (rf"{CONNECTION}/secrets/(?P<secret>[^/]+)", SecretHandler),
]
