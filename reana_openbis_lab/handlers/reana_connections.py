"""REANA connections: list, add, change, delete, and check a token with GET /api/you."""

from __future__ import annotations

from typing import Any

from ..reana.connections import NAME_ROUTE, check_name
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

    @endpoint
    async def post(self) -> None:
        """Add a connection; by default its token is checked first and nothing is saved if not OK."""
        body = self.json_body()
        name = check_name(self.get_json_or_400(body, "name", str))
        url = self.get_json_or_400(body, "url", str)
        token = self.get_json_or_400(body, "accessToken", str)
        verify = _optional_bool(self, body, "verifyCertificates", True)
        check = _optional_bool(self, body, "check", True)
        connection = await self.reana.add_checked(name, url, token, verify, check=check)
        self.write_json(connection.to_json(), status=201)


class ConnectionHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.write_json(self.reana.get(name).to_json())

    @endpoint
    async def patch(self, name: str) -> None:
        """Change URL, token or certificate checking; a new URL or token is checked first."""
        body = self.json_body()
        url = self.get_json_or_400(body, "url", str, required=False)
        token = self.get_json_or_400(body, "accessToken", str, required=False)
        verify = self.get_json_or_400(body, "verifyCertificates", bool, required=False)
        check = _optional_bool(self, body, "check", True)
        connection = await self.reana.update_checked(
            name, url=url, token=token, verify_certificates=verify, check=check
        )
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


def _optional_bool(handler: ApiHandler, body: dict[str, Any], key: str, default: bool) -> bool:
    value = handler.get_json_or_400(body, key, bool, required=False)
    return default if value is None else value


routes: list[Route] = [
    (r"/reana/connections", ConnectionsHandler),
    (CONNECTION, ConnectionHandler),
    (rf"{CONNECTION}/check", ConnectionCheckHandler),
]
