"""Workspace routes: list, streamed upload, streamed download (folders and globs as zip), delete, du, move."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path
from typing import IO
from urllib.parse import quote

from tornado import iostream, web

from .handler_base import COMMON, ReanaHandler
from .handlers_account import refuse_over_quota, usage
from .paging import page_fields
from .workspace import (
    BadPath,
    delete,
    disk_usage,
    list_files,
    matching,
    move,
    prune,
    resolve,
    zip_into,
)

CHUNK = 256 * 1024
#: Uploads are streamed to disk, so the only limit is the disk.
MAX_UPLOAD = 1 << 40


def attachment(name: str) -> str:
    """Content-Disposition as Flask sends it: an ASCII `filename` plus RFC 5987 `filename*`.

    HTTP headers are Latin-1; reana-client (email.message) then saves under the ASCII name,
    as it does against the real server.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in ascii_name)
    if plain == name:
        return f'attachment; filename="{name}"'
    return (
        f"attachment; filename=\"{plain or 'download'}\"; filename*=UTF-8''{quote(name, safe='')}"
    )


@web.stream_request_body
class WorkspaceHandler(ReanaHandler):
    """GET lists the workspace; POST streams the body into a hidden temporary file, renamed when complete.

    Chunks are written as they arrive, on the sandbox's own loop: local disk writes of at
    most one network chunk, in a process that serves only tests.
    """

    declared = {"get": COMMON, "post": COMMON}
    _upload: IO[bytes] | None = None
    _upload_path: Path | None = None
    _target: Path | None = None

    async def prepare(self) -> None:
        await super().prepare()
        if self._finished or self.request.method != "POST":
            return
        self.request.connection.set_max_body_size(MAX_UPLOAD)  # type: ignore[union-attr]
        if "application/octet-stream" not in self.request.headers.get("Content-Type", ""):
            raise web.HTTPError(400, "Wrong Content-Type: use application/octet-stream.")
        name = self.get_query_argument("file_name", "")
        await refuse_over_quota(self)
        length = int(self.request.headers.get("Content-Length") or 0)
        _cpu, disk = await usage(self)
        excess = self.store.account.disk_excess_message(disk, length, f"Uploading file {name}")
        if excess is not None:
            raise web.HTTPError(403, excess)
        workflow = self.workflow(self.path_args[0])
        try:
            self._target = resolve(self.store.open_workspace(workflow), name)
        except BadPath as exc:
            raise web.HTTPError(400, str(exc)) from None
        if self.request.connection.stream.closed():  # type: ignore[union-attr]
            return  # the client left while we checked; nothing to clean up later
        self._target.parent.mkdir(parents=True, exist_ok=True)
        self._upload_path = self._target.parent / f".upload-{uuid.uuid4().hex}"
        self._upload = open(self._upload_path, "wb")  # noqa: SIM115 - closed in post/on_finish

    def data_received(self, chunk: bytes) -> None:
        if self._upload is not None:
            self._upload.write(chunk)

    async def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        search = self.search_filters(self.get_query_argument("search", None))
        workspace = self.store.open_workspace(workflow)
        pattern = self.get_query_argument("file_name", None)
        try:
            files = await asyncio.to_thread(list_files, workspace, pattern=pattern, search=search)
        except BadPath as exc:
            raise web.HTTPError(400, str(exc)) from None
        total = len(files)
        size = self.positive_int("size")
        page = self.positive_int("page")
        if size is not None:
            first = ((page or 1) - 1) * size
            files = files[first : first + size]
        self.reply({"items": files, **page_fields(page, size, total)})

    async def post(self, id_or_name: str) -> None:
        """The file is in place at once, but the answer comes late, in proportion to its size:
        reana-server answers only after relaying the body to the workflow controller."""
        assert self._upload is not None and self._upload_path and self._target
        size = self._upload.tell()
        self._upload.close()
        os.replace(self._upload_path, self._target)
        self._upload = None
        await asyncio.sleep(size / 2**20 * self.settings["upload_relay_seconds"])
        name = self.get_query_argument("file_name")
        self.reply({"message": f"{name} has been successfully uploaded."})

    def on_finish(self) -> None:
        super().on_finish()
        self._discard_upload()

    def on_connection_close(self) -> None:
        self._discard_upload()

    def _discard_upload(self) -> None:
        """An upload that did not complete leaves nothing behind."""
        if self._upload is not None:
            self._upload.close()
            self._upload = None
            if self._upload_path is not None:
                self._upload_path.unlink(missing_ok=True)


class WorkspaceFileHandler(ReanaHandler):
    declared = {"get": COMMON, "delete": frozenset({200, 403, 404, 500})}

    async def get(self, id_or_name: str, name: str) -> None:
        workflow = self.workflow(id_or_name)
        workspace = self.store.open_workspace(workflow)
        try:
            found = await asyncio.to_thread(matching, workspace, name)
        except BadPath as exc:
            raise web.HTTPError(400, str(exc)) from None
        if not found:
            raise web.HTTPError(404, f"{name} does not exist.")
        if len(found) == 1 and found[0].is_file():
            self.set_header("Content-Type", "application/octet-stream")
            await self._send(found[0], found[0].name)
            return
        if len(found) == 1 and not any(found[0].iterdir()):
            raise web.HTTPError(404, "The provided directory is empty.")
        with tempfile.TemporaryDirectory(dir=self.store.data_dir) as scratch:
            archive = Path(scratch, "download.zip")
            await asyncio.to_thread(zip_into, workspace, found, archive)
            self.set_header("Content-Type", "application/zip")
            # reana-server's name for it: download_<run>_<basename>_<time>.zip
            stamp = time.strftime("%Y-%m-%d-%H%M%S")
            base = Path(name.rstrip("/")).name
            await self._send(archive, f"download_{workflow.full_name}_{base}_{stamp}.zip")

    async def _send(self, path: Path, download_name: str) -> None:
        """Stream from disk in chunks so a large file never sits in memory."""
        self.set_header("Content-Disposition", attachment(download_name))
        self.set_header("Content-Length", str(path.stat().st_size))
        with open(path, "rb") as source:
            while chunk := await asyncio.to_thread(source.read, CHUNK):
                try:
                    self.write(chunk)
                    await self.flush()
                except iostream.StreamClosedError:
                    return  # the client left, or a fault rule cut the connection
        self.finish()

    async def delete(self, id_or_name: str, name: str) -> None:
        workspace = self.store.open_workspace(self.workflow(id_or_name))
        try:
            result = await asyncio.to_thread(delete, workspace, name)
        except BadPath as exc:
            raise web.HTTPError(404, str(exc)) from None
        self.reply(result)


class DiskUsageHandler(ReanaHandler):
    declared = {"get": COMMON}

    async def get(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        options = self.json_body(dict, "parameters")
        search = self.search_filters(options.get("search"))
        workspace = self.store.open_workspace(workflow)
        rows = await asyncio.to_thread(
            disk_usage, workspace, summarize=bool(options.get("summarize")), search=search
        )
        self.reply(
            {
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
                "user": workflow.user,
                "disk_usage_info": rows,
            }
        )


class MoveFilesHandler(ReanaHandler):
    declared = {"put": frozenset({200, 400, 403, 404, 409, 500})}

    async def put(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        if workflow.status in ("queued", "pending", "running"):
            raise web.HTTPError(409, "Files of a running workflow cannot be moved.")
        source = self.get_query_argument("source", "")
        target = self.get_query_argument("target", "")
        try:
            await asyncio.to_thread(move, self.store.open_workspace(workflow), source, target)
        except BadPath as exc:
            raise web.HTTPError(400, str(exc)) from None
        except FileNotFoundError:
            raise web.HTTPError(404, f"Path {source} does not exist.") from None
        self.reply(
            {
                "message": f"{source} was successfully moved to {target}.",
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
            }
        )


class PruneHandler(ReanaHandler):
    """Removes what a run left that its spec does not declare; `include_*` drops those too."""

    declared = {"post": COMMON}

    async def post(self, id_or_name: str) -> None:
        workflow = self.workflow(id_or_name)
        keep: list[str] = []
        for section, flag in (("inputs", "include_inputs"), ("outputs", "include_outputs")):
            if not self.flag(flag):
                declared = workflow.section(section)
                keep += [
                    str(p)
                    for p in (declared.get("files") or []) + (declared.get("directories") or [])
                ]
        removed = await asyncio.to_thread(prune, self.store.open_workspace(workflow), keep)
        self.reply(
            {
                "message": f"The workspace has been correctly pruned: {removed} files removed.",
                "workflow_id": workflow.id,
                "workflow_name": workflow.full_name,
            }
        )
