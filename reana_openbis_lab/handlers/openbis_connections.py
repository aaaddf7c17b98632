"""openBIS connections over REST: list, add, change, delete, log in and out, status.

Secrets arrive only in the body of the login route and never leave the server again:
every answer carries `hasSecret` instead.
"""

from __future__ import annotations

from typing import Any

from ..openbis import AuthMethod
from .base import ApiError, ApiHandler, Route, endpoint

#: Route group for a connection name; the domain answers 404 for names it does not know.
NAME = r"(?P<name>[^/]+)"


class ConnectionsHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        mounts = self.services.mounts
        self.write_json(
            {
                "connections": [
                    {**c.to_json(), **mounts.status(c.name)} for c in self.services.openbis.list()
                ]
            }
        )

    @endpoint
    async def post(self) -> None:
        info = await self.services.openbis.add(self.json_body())
        self.write_json(info.to_json(), status=201)


class ConnectionHandler(ApiHandler):
    @endpoint
    async def get(self, name: str) -> None:
        info = self.services.openbis.get(name)
        self.write_json({**info.to_json(), **self.services.mounts.status(name)})

    @endpoint
    async def patch(self, name: str) -> None:
        info = await self.services.openbis.update(name, self.json_body())
        self.write_json(info.to_json())

    @endpoint
    async def delete(self, name: str) -> None:
        await self.services.openbis.delete(name)
        self.set_status(204)
        self.finish()


class LoginHandler(ApiHandler):
    @endpoint
    async def post(self, name: str) -> None:
        service = self.services.openbis
        auth = service.get(name).auth
        body = self.json_body()
        secret = self._secret_from(body, auth)
        username = body.get("username") or None
        remember = body.get("remember")
        info = await service.login(name, secret, username, remember=remember is not False)
        self.write_json(info.to_json())

    def _secret_from(self, body: dict[str, Any], auth: str) -> str | None:
        """The secret the connection's auth method takes; sending the other kind is a 400."""
        expected = "token" if auth == AuthMethod.TOKEN.value else "password"
        other = "password" if expected == "token" else "token"
        if body.get(other) is not None:
            kind = "a personal access token" if expected == "token" else "a user name and password"
            raise ApiError(400, f"This connection logs in with {kind}", field=other)
        return body.get(expected) or None


class LogoutHandler(ApiHandler):
    @endpoint
    async def post(self, name: str) -> None:
        self.write_json((await self.services.openbis.logout(name)).to_json())


class StatusHandler(ApiHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.write_json((await self.services.openbis.status(name)).to_json())


routes: list[Route] = [
    (r"/openbis/connections", ConnectionsHandler),
    (rf"/openbis/connections/{NAME}", ConnectionHandler),
    (rf"/openbis/connections/{NAME}/login", LoginHandler),
    (rf"/openbis/connections/{NAME}/logout", LogoutHandler),
    (rf"/openbis/connections/{NAME}/status", StatusHandler),
]
