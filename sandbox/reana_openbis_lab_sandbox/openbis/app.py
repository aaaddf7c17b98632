"""One tornado application serving the openBIS application server and data store server.

Real installations put the DSS on its own port; the sandbox serves both on one, and says
so through dataStore.downloadUrl (= public_url), which is how pybis finds the DSS.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from tornado import httpserver, web

from ..access_log import log_request
from ..faults import FaultInjectingHandler, Faults, fault_routes
from .as_api import ApplicationServer
from .dss_api import DataStoreServer
from .dto import Serializer
from .fast_download import FileTransfer, FileTransferHandler
from .file_download import FileDownloadHandler
from .rpc import JsonRpcHandler
from .store import OpenbisStore
from .upload import SessionWorkspaceUploadHandler

AS_PATH = "/openbis/openbis/rmi-application-server-v3.json"
DSS_PATH = "/datastore_server/rmi-data-store-server-v3.json"
EXPIRE_PATH = "/__sandbox__/openbis/expire-sessions"


class ApplicationServerHandler(JsonRpcHandler):
    def methods(self) -> dict[str, Callable[..., Any]]:
        return self.settings["openbis_as"].methods()


class DataStoreServerHandler(JsonRpcHandler):
    def methods(self) -> dict[str, Callable[..., Any]]:
        return self.settings["openbis_dss"].methods()


class ExpireSessionsHandler(FaultInjectingHandler):
    """Test control: end every login session now (personal access tokens stay valid)."""

    def post(self) -> None:
        expired = self.settings["store"].sessions.expire_all()
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"expired": expired}))


def make_app(*, store: OpenbisStore, faults: Faults, public_url: str) -> web.Application:
    public_url = public_url.rstrip("/")
    transfer = FileTransfer(store)
    return web.Application(
        [
            (AS_PATH, ApplicationServerHandler),
            (DSS_PATH, DataStoreServerHandler),
            (FileTransfer.route, FileTransferHandler),
            ("/datastore_server/session_workspace_file_upload", SessionWorkspaceUploadHandler),
            (r"/datastore_server/(\d+-\d+)/(.+)", FileDownloadHandler),
            (EXPIRE_PATH, ExpireSessionsHandler),
            *fault_routes,
        ],
        store=store,
        faults=faults,
        file_transfer=transfer,
        openbis_as=ApplicationServer(store, Serializer(public_url, store)),
        openbis_dss=DataStoreServer(store, public_url, transfer),
        log_function=log_request,
    )


async def serve(host: str, port: int, store: OpenbisStore, *, faults: Faults | None = None) -> None:
    """Run the sandbox openBIS on host:port until cancelled (standalone use and tests)."""
    app = make_app(store=store, faults=faults or Faults(), public_url=f"http://{host}:{port}")
    server = httpserver.HTTPServer(app, max_body_size=1024 * 1024 * 1024)
    server.listen(port, host)
    try:
        await asyncio.Event().wait()
    finally:
        server.stop()
