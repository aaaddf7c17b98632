"""`GET /datastore_server/<permId>/<path>?sessionID=`: openBIS's plain file download.

pybis uses it for api-version <= 3.5 and for `file_links`; scripts and curl use it too.
The file streams in 1 MiB pieces (the 120 MB dataset is never held in memory) and
archived datasets are refused, as the real DSS does while their data is not in store.
"""

from __future__ import annotations

import asyncio

from tornado import iostream, web

from ..faults import FaultInjectingHandler
from .store import OpenbisStore

PIECE = 1024 * 1024


class FileDownloadHandler(FaultInjectingHandler):
    async def get(self, perm_id: str, path: str) -> None:
        store: OpenbisStore = self.settings["store"]
        if store.sessions.user_of(self.get_query_argument("sessionID", "")) is None:
            raise web.HTTPError(401, "Session no longer available. Please login again.")
        dataset = store.dataset(perm_id)
        entry = dataset.file(path.strip("/")) if dataset is not None else None
        if dataset is None or entry is None:
            raise web.HTTPError(404, "No such file")
        if dataset.status != "AVAILABLE":
            raise web.HTTPError(409, f"Data set {perm_id} is not available ({dataset.status})")
        source = entry.source
        self.set_header("Content-Type", "application/octet-stream")
        self.set_header("Content-Length", str(source.size))
        try:
            for offset in range(0, source.size, PIECE):
                self.write(await asyncio.to_thread(source.read, offset, PIECE))
                await self.flush()
        except iostream.StreamClosedError:
            return  # the client went away (or a fault cut the connection): nothing to answer
