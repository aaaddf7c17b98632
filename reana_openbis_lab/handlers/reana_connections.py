"""REANA connections: list, add, change, delete, and check a token with GET /api/you."""

from __future__ import annotations

from ..reana.connections import NAME_ROUTE, ConnectionChanges, NewConnection
from ..reana.service import ReanaService
from .base import ApiHandler, Route, endpoint

CONNECTION = rf"/reana/connections/(?P<name>{NAME_ROUTE})"


class ReanaHandler(ApiHandler):
    """Base of every REANA route (connections, workflows, workspace): typed access to the service."""

    @property
    def reana(self) -> ReanaService:
        return self.services.reana


class ConnectionsHandler(ReanaHandler):
    @endpoint
    async def get(self) -> None:
        self.write_json({"connections": [c.to_json() for c in self.reana.list()]})

    @endpoint(body=NewConnection)
    async def post(self, body: NewConnection) -> None:
        """Add a connection; by default its token is checked first and nothing is saved if not OK."""
        connection = await self.reana.add_checked(body)
        self.write_json(connection.to_json(), status=201)


class ConnectionHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.write_json(self.reana.get(name).to_json())

    @endpoint(body=ConnectionChanges)
    async def patch(self, name: str, body: ConnectionChanges) -> None:
        """Change URL, token or certificate checking; a new URL or token is checked first."""
        connection = await self.reana.update_checked(name, body)
        self.write_json(connection.to_json())

    @endpoint
    async def delete(self, name: str) -> None:
        self.reana.delete(name)
        self.set_status(204)
        self.finish()


class ConnectionCheckHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str) -> None:
        connection = await self.reana.check(name)
        self.write_json(connection.to_json())


routes: list[Route] = [
    (r"/reana/connections", ConnectionsHandler),
    (CONNECTION, ConnectionHandler),
    (rf"{CONNECTION}/check", ConnectionCheckHandler),
]
