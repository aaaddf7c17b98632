"""openBIS connections over REST: list, add, change, delete, log in and out, status.

Secrets arrive only in the body of the login route and never leave the server again:
every answer carries `hasSecret` instead.
"""

from __future__ import annotations

from ..openbis.connections import ConnectionChanges, Login, NewConnection
from .base import ApiHandler, Route, endpoint

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

    @endpoint(body=NewConnection)
    async def post(self, body: NewConnection) -> None:
        info = await self.services.openbis.add(body)
        self.write_json(info.to_json(), status=201)


class ConnectionHandler(ApiHandler):
    @endpoint
    async def get(self, name: str) -> None:
        info = self.services.openbis.get(name)
        self.write_json({**info.to_json(), **self.services.mounts.status(name)})

    @endpoint(body=ConnectionChanges)
    async def patch(self, name: str, body: ConnectionChanges) -> None:
        info = await self.services.openbis.update(name, body)
        self.write_json(info.to_json())

    @endpoint
    async def delete(self, name: str) -> None:
        await self.services.openbis.delete(name)
        self.set_status(204)
        self.finish()


class LoginHandler(ApiHandler):
    @endpoint(body=Login)
    async def post(self, name: str, body: Login) -> None:
        self.write_json((await self.services.openbis.login(name, body)).to_json())


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
