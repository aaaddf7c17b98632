"""openBIS's fast-download file server (protocol version 2), as pybis's fast_download.py speaks it.

Flow: DSS `createFastDownloadSession` grants a set of files (`grant`), then the client
POSTs JSON to the file-transfer URL: `startDownloadSession` (items -> chunk ranges and
stream ids), `queue` (chunk ranges to serve), `download` (one binary chunk per call, in
any order, from several streams at once) and `finishDownloadSession`.
Request values arrive as one-element lists of strings (`{"method": ["queue"], ...}`).

Chunk layout, big-endian: sequence u32 | item id length u16 | is directory u8 |
path length u16 | file offset u64 | payload length u32 | item id | path |
crc32(all preceding bytes) u64 | payload | crc32(payload) u64.
"""

from __future__ import annotations

import asyncio
import binascii
import json
import secrets
import struct
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tornado import iostream

from ..faults import FaultInjectingHandler
from .content import FileSource
from .model import DataSet
from .store import OpenbisStore, list_entries

CHUNK_SIZE = 1024 * 1024
MAX_STREAMS = 4
#: Grants and sessions a client never finished are forgotten oldest-first beyond this.
MAX_OPEN = 1000
_HEADER = struct.Struct(">IHBHQI")


@dataclass(frozen=True)
class Chunk:
    sequence: int
    item_id: str
    path: str
    source: FileSource
    offset: int
    length: int


@dataclass
class DownloadSession:
    chunks: dict[int, Chunk]
    queue: deque[int] = field(default_factory=deque)
    queued: set[int] = field(default_factory=set)


def encode_chunk(chunk: Chunk, payload: bytes) -> bytes:
    item_id = chunk.item_id.encode()
    path = chunk.path.encode()
    header = (
        _HEADER.pack(chunk.sequence, len(item_id), 0, len(path), chunk.offset, len(payload))
        + item_id
        + path
    )
    return b"".join(
        (
            header,
            struct.pack(">Q", binascii.crc32(header)),
            payload,
            struct.pack(">Q", binascii.crc32(payload)),
        )
    )


class FileTransfer:
    """Grants from createFastDownloadSession and the download sessions started from them."""

    route = "/datastore_server/file-transfer"

    def __init__(self, store: OpenbisStore, chunk_size: int = CHUNK_SIZE) -> None:
        self.store = store
        self.chunk_size = chunk_size
        self._grants: dict[str, tuple[str, dict[str, tuple[DataSet, str]]]] = {}
        self._sessions: dict[str, DownloadSession] = {}
        self._lock = threading.Lock()

    def grant(self, token: str, items: dict[str, tuple[DataSet, str]]) -> str:
        grant_id = secrets.token_hex(16)
        with self._lock:
            self._grants[grant_id] = (token, items)
            _forget_oldest(self._grants)
        return grant_id

    def start(self, grant_id: str, item_ids: list[str], wished_streams: int) -> dict[str, Any]:
        with self._lock:
            grant = self._grants.get(grant_id)
        if grant is None:
            raise TransferError("Unknown user session id.", retriable=False)
        token, items = grant
        if self.store.sessions.user_of(token) is None:
            raise TransferError("Session no longer available. Please login again.", False)
        chunks: dict[int, Chunk] = {}
        ranges: dict[str, str] = {}
        for item_id in item_ids:
            if item_id not in items:
                raise TransferError(f"Download item '{item_id}' was not granted.", False)
            dataset, path = items[item_id]
            first = len(chunks)
            for file in self._files_under(dataset, path):
                for offset in range(0, max(file.source.size, 1), self.chunk_size):
                    length = max(0, min(self.chunk_size, file.source.size - offset))
                    chunks[len(chunks)] = Chunk(
                        len(chunks), item_id, file.path, file.source, offset, length
                    )
            if len(chunks) > first:
                ranges[item_id] = f"{first}:{len(chunks) - 1}"
        session_id = secrets.token_hex(16)
        with self._lock:
            self._sessions[session_id] = DownloadSession(chunks)
            _forget_oldest(self._sessions)
        streams = max(1, min(wished_streams, MAX_STREAMS))
        return {
            "downloadSessionId": session_id,
            "ranges": ranges,
            "streamIds": [str(i) for i in range(streams)],
        }

    @staticmethod
    def _files_under(dataset: DataSet, path: str):
        entries = {e.path: e for e in list_entries(dataset)}
        entry = entries.get(path)
        if entry is not None and not entry.is_dir:
            return [f for f in dataset.files if f.path == path]
        return [f for f in dataset.files if f.path.startswith(path + "/")]

    def queue(self, session_id: str, ranges: str) -> None:
        session = self._session(session_id)
        with self._lock:
            for part in ranges.split(","):
                if not part.strip():
                    continue
                start, _, end = part.strip().partition(":")
                for sequence in range(int(start), int(end or start) + 1):
                    if sequence in session.chunks and sequence not in session.queued:
                        session.queue.append(sequence)
                        session.queued.add(sequence)

    def next_chunk(self, session_id: str) -> Chunk:
        session = self._session(session_id)
        with self._lock:
            if not session.queue:
                raise TransferError("No chunk is queued for this download session.", True)
            sequence = session.queue.popleft()
            session.queued.discard(sequence)
            return session.chunks[sequence]

    def finish(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _session(self, session_id: str) -> DownloadSession:
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            raise TransferError("Unknown download session.", retriable=False)
        return session


def _forget_oldest(registry: dict[str, Any]) -> None:
    while len(registry) > MAX_OPEN:
        del registry[next(iter(registry))]


class TransferError(Exception):
    def __init__(self, message: str, retriable: bool) -> None:
        super().__init__(message)
        self.retriable = retriable


def _param(body: dict[str, Any], name: str, default: str = "") -> str:
    value = body.get(name, default)
    if isinstance(value, list):
        value = value[0] if value else default
    return str(value)


def _item_ids(raw: str) -> list[str]:
    """Version 2 sends a JSON list; version 1 a comma-separated string."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return [str(item) for item in parsed]
    return [item.strip() for item in raw.split(",") if item.strip()]


class FileTransferHandler(FaultInjectingHandler):
    """POST {downloadUrl}: one JSON body per call, `method` selects the step."""

    async def post(self) -> None:
        transfer: FileTransfer = self.settings["file_transfer"]
        try:
            body = json.loads(self.request.body or b"{}")
            method = _param(body, "method")
            if method == "startDownloadSession":
                result = transfer.start(
                    _param(body, "userSessionId"),
                    _item_ids(_param(body, "downloadItemIds")),
                    int(_param(body, "wishedNumberOfStreams", "1") or 1),
                )
                self._json(result)
            elif method == "queue":
                transfer.queue(_param(body, "downloadSessionId"), _param(body, "ranges"))
                self._json({})
            elif method == "download":
                chunk = transfer.next_chunk(_param(body, "downloadSessionId"))
                payload = await asyncio.to_thread(chunk.source.read, chunk.offset, chunk.length)
                self.set_header("Content-Type", "application/octet-stream")
                self.finish(encode_chunk(chunk, payload))
            elif method == "finishDownloadSession":
                transfer.finish(_param(body, "downloadSessionId"))
                self._json({})
            else:
                raise TransferError(f"Unknown method '{method}'.", retriable=False)
        except iostream.StreamClosedError:
            return  # the client went away (or a fault cut the connection)
        except TransferError as exc:
            self._json({"error": str(exc), "retriable": exc.retriable})
        except (ValueError, TypeError) as exc:
            self._json({"error": f"Malformed request: {exc}", "retriable": False})

    def _json(self, payload: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))
