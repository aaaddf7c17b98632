"""Mount an openBIS connection's data store over SSHFS inside the Jupyter root, and unmount it."""

from __future__ import annotations

from ..openbis.mount import MountRequest
from .base import ApiHandler, Route, endpoint


class MountHandler(ApiHandler):
    @endpoint
    async def get(self, name: str) -> None:
        self.services.openbis.get(name)  # 404 for an unknown connection
        self.write_json({"name": name, **self.services.mounts.status(name)})

    @endpoint(body=MountRequest)
    async def post(self, name: str, body: MountRequest) -> None:
        mounts = self.services.mounts
        mounts.require_sshfs()
        credentials = self.services.openbis.secret_for_mount(name)
        status = await mounts.mount(name, credentials, body)
        self.write_json({"name": name, **status})

    @endpoint
    async def delete(self, name: str) -> None:
        self.write_json({"name": name, **await self.services.mounts.unmount(name)})


routes: list[Route] = [(r"/openbis/connections/(?P<name>[^/]+)/mount", MountHandler)]
