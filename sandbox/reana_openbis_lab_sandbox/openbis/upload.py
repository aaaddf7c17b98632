"""`POST /datastore_server/session_workspace_file_upload`: raw bytes into the session workspace.

pybis sends files of 10 MB and more as 10 MB slices from ten threads at once, so slices
arrive out of order: each is written at its `startByte` as it streams in (nothing is
buffered whole). `endByte` is not trusted, since pybis sends the file size, not the last
index, for the final slice. `filename` is `<uploadId>/<name>` or
`<uploadId>/<folder>/<relative path>`; `emptyFolder=True` creates a directory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from tornado import web

from ..faults import FaultInjectingHandler
from .dss_api import workspace_key
from .store import OpenbisStore

MAX_SLICE_BYTES = 1024 * 1024 * 1024


def workspace_target(root: Path, filename: str) -> Path:
    """Where `filename` lands inside the session workspace `root`; ValueError if outside it.

    The sandbox's own check, on purpose not the extension's: a fake that shared the product's
    confinement would share its bugs and could never catch one.
    """
    if "\x00" in filename or "\\" in filename:
        raise ValueError("filename contains NUL or a backslash")
    parts = PurePosixPath(filename).parts
    if filename.startswith("/") or ".." in parts:
        raise ValueError("filename must stay inside the session workspace")
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError("filename points outside the session workspace")
    return target


@web.stream_request_body
class SessionWorkspaceUploadHandler(FaultInjectingHandler):
    _fd: int | None = None
    _start = 0
    _offset = 0
    _received = 0

    async def prepare(self) -> None:
        await super().prepare()
        if self._finished:
            return
        store: OpenbisStore = self.settings["store"]
        token = self.get_query_argument("sessionID", "")
        if store.sessions.user_of(token) is None:
            self._refuse(401, "Session no longer available. Please login again.")
            return
        filename = self.get_query_argument("filename", "")
        try:
            self._offset = int(self.get_query_argument("startByte", "0"))
            if self._offset < 0:
                raise ValueError
            root = store.workspace_dir / workspace_key(token)
            root.mkdir(parents=True, exist_ok=True)
            target = workspace_target(root, filename.rstrip("/"))
        except ValueError as exc:
            self._refuse(400, f"Invalid upload parameters: {exc}")
            return
        self._start = self._offset
        if self.get_query_argument("emptyFolder", "false").lower() == "true":
            target.mkdir(parents=True, exist_ok=True)
            return
        if target == root or not filename.strip("/"):
            self._refuse(400, "Invalid upload parameters: filename is empty")
            return
        self.request.connection.set_max_body_size(MAX_SLICE_BYTES)  # type: ignore[union-attr]
        target.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o600)

    def data_received(self, chunk: bytes) -> None:
        if self._fd is None:
            return
        os.pwrite(self._fd, chunk, self._offset)
        self._offset += len(chunk)
        self._received += len(chunk)

    def post(self) -> None:
        self._close()
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps(
                {
                    "id": self.get_query_argument("id", "1"),
                    "startByte": self._start,
                    "endByte": int(self.get_query_argument("endByte", "0") or 0),
                    "filename": self.get_query_argument("filename", ""),
                    "size": self._start + self._received,
                    "status": "ok",
                }
            )
        )

    def on_finish(self) -> None:
        self._close()

    def on_connection_close(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _refuse(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": "error", "message": message}))
