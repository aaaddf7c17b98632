"""The sandbox openBIS's datasets as a read-only SFTP file tree, the way openBIS's DSS shows them.

`/<SPACE>/<PROJECT>/<COLLECTION>/<DATASET_PERMID>/original/...`: the same hierarchy as
openBIS's own SFTP view, built on every request from the store (no copy to go stale).
Datasets attached to a sample only, without a collection, are not shown. Every change
(write, rename, remove, mkdir, setstat, links) is refused with "permission denied",
because openBIS datasets are immutable once registered.
"""

from __future__ import annotations

import asyncio
import posixpath
import stat
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import asyncssh
from asyncssh import SFTPAttrs, SFTPName, SFTPVFSAttrs

DIR_MODE = stat.S_IFDIR | 0o555
FILE_MODE = stat.S_IFREG | 0o444
BLOCK = 4096
READ_ONLY_FLAG = 1  # ST_RDONLY, as statvfs reports a read-only file system
WRITE_FLAGS = (
    asyncssh.FXF_WRITE
    | asyncssh.FXF_APPEND
    | asyncssh.FXF_CREAT
    | asyncssh.FXF_TRUNC
    | asyncssh.FXF_EXCL
)


@dataclass(frozen=True)
class Node:
    """One path of the tree: a directory (children listed on demand) or a dataset file."""

    is_dir: bool
    size: int
    mtime: int
    perm_id: str | None = None
    file_path: str | None = None

    def attrs(self) -> SFTPAttrs:
        return SFTPAttrs(
            permissions=DIR_MODE if self.is_dir else FILE_MODE,
            size=self.size,
            nlink=2 if self.is_dir else 1,
            atime=self.mtime,
            mtime=self.mtime,
        )


class OpenDatasetFile:
    """A dataset file opened by a client; SFTP reads may arrive in parallel, seek+read may not."""

    def __init__(self, node: Node, reader: BinaryIO) -> None:
        self.node = node
        self._reader = reader
        self._lock = threading.Lock()

    def read(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._reader.seek(offset)
            return self._reader.read(size)

    def close(self) -> None:
        with self._lock:
            self._reader.close()


def split(path: bytes) -> list[str]:
    """Client path -> parts below the virtual root; '..' can never climb above it."""
    text = path.decode("utf-8", errors="strict") if isinstance(path, bytes) else str(path)
    normal = posixpath.normpath(posixpath.join("/", text))
    return [part for part in normal.split("/") if part]


class DatasetTree:
    """Path lookups over the store; see the module docstring for the layout."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def children(self, parts: list[str]) -> list[tuple[str, Node]]:
        node = self.node(parts)
        if not node.is_dir:
            raise asyncssh.SFTPNoSuchFile("Not a directory")
        depth = len(parts)
        if depth == 0:
            return [(s.code, self._dir(s.registration_date)) for s in self.store.spaces()]
        if depth == 1:
            return [(p.code, self._dir(p.registration_date)) for p in self.store.projects(parts[0])]
        if depth == 2:
            identifier = f"/{parts[0]}/{parts[1]}"
            return [
                (e.code, self._dir(e.registration_date)) for e in self.store.experiments(identifier)
            ]
        if depth == 3:
            identifier = f"/{parts[0]}/{parts[1]}/{parts[2]}"
            return [
                (d.perm_id, self._dir(d.registration_date))
                for d in self.store.datasets_of_experiment(identifier)
            ]
        perm_id, inside = parts[3], "/".join(parts[4:])
        prefix = f"{inside}/" if inside else ""
        mtime = node.mtime
        return [
            (entry.path[len(prefix) :], self._entry(perm_id, entry, mtime))
            for entry in self.store.dataset_files(perm_id)
            if entry.path.startswith(prefix) and "/" not in entry.path[len(prefix) :]
        ]

    def node(self, parts: list[str]) -> Node:
        depth = len(parts)
        if depth == 0:
            return self._dir(0)
        if depth <= 3:
            parent = self.children(parts[:-1])
            for name, node in parent:
                if name == parts[-1]:
                    return node
            raise asyncssh.SFTPNoSuchFile("No such file or directory")
        dataset = self.store.dataset(parts[3])
        experiment = getattr(dataset, "experiment", None)
        if experiment is None or experiment.identifier != "/" + "/".join(parts[:3]):
            raise asyncssh.SFTPNoSuchFile("No such file or directory")
        mtime = dataset.registration_date // 1000
        inside = "/".join(parts[4:])
        if not inside:
            return Node(True, 0, mtime)
        for entry in self.store.dataset_files(dataset.perm_id):
            if entry.path == inside:
                return self._entry(dataset.perm_id, entry, mtime)
        raise asyncssh.SFTPNoSuchFile("No such file or directory")

    @staticmethod
    def _dir(registration_ms: int) -> Node:
        return Node(True, 0, registration_ms // 1000)

    @staticmethod
    def _entry(perm_id: str, entry: Any, mtime: int) -> Node:
        if entry.is_dir:
            return Node(True, 0, mtime)
        return Node(False, entry.size, mtime, perm_id=perm_id, file_path=entry.path)


class DatasetSFTPServer(asyncssh.SFTPServer):
    """asyncssh's SFTP server callbacks, answered from a DatasetTree and never from local disk."""

    def __init__(self, chan: asyncssh.SSHServerChannel, tree: DatasetTree) -> None:
        super().__init__(chan)
        self.tree = tree

    def _lookup(self, path: bytes) -> Node:
        try:
            return self.tree.node(split(path))
        except UnicodeDecodeError:
            raise asyncssh.SFTPNoSuchFile("No such file or directory") from None

    def realpath(self, path: bytes) -> bytes:
        return ("/" + "/".join(split(path))).encode()

    def stat(self, path: bytes) -> SFTPAttrs:
        return self._lookup(path).attrs()

    lstat = stat

    async def scandir(self, path: bytes) -> AsyncIterator[SFTPName]:
        node = self._lookup(path)
        if not node.is_dir:
            raise asyncssh.SFTPNoSuchFile("Not a directory")
        for name in (".", ".."):
            yield SFTPName(name.encode(), attrs=node.attrs())
        for name, child in self.tree.children(split(path)):
            yield SFTPName(name.encode(), attrs=child.attrs())

    async def open(self, path: bytes, pflags: int, attrs: SFTPAttrs) -> OpenDatasetFile:
        if pflags & WRITE_FLAGS:
            raise asyncssh.SFTPPermissionDenied("openBIS datasets are read-only")
        node = self._lookup(path)
        if node.is_dir:
            raise asyncssh.SFTPFailure("Is a directory")
        reader = await asyncio.to_thread(self.tree.store.open_file, node.perm_id, node.file_path)
        return OpenDatasetFile(node, reader)

    async def open56(
        self, path: bytes, desired_access: int, flags: int, attrs: SFTPAttrs
    ) -> OpenDatasetFile:
        if desired_access & (asyncssh.ACE4_WRITE_DATA | asyncssh.ACE4_APPEND_DATA):
            raise asyncssh.SFTPPermissionDenied("openBIS datasets are read-only")
        return await self.open(path, asyncssh.FXF_READ, attrs)

    async def read(self, file_obj: OpenDatasetFile, offset: int, size: int) -> bytes:
        return await asyncio.to_thread(file_obj.read, offset, size)

    async def close(self, file_obj: OpenDatasetFile) -> None:
        await asyncio.to_thread(file_obj.close)

    def fstat(self, file_obj: OpenDatasetFile) -> SFTPAttrs:
        return file_obj.node.attrs()

    def statvfs(self, path: bytes) -> SFTPVFSAttrs:
        return SFTPVFSAttrs(
            bsize=BLOCK, frsize=BLOCK, blocks=0, bfree=0, bavail=0, files=0, ffree=0,
            favail=0, fsid=0, flag=READ_ONLY_FLAG, namemax=255,
        )  # fmt: skip

    def fstatvfs(self, file_obj: OpenDatasetFile) -> SFTPVFSAttrs:
        return self.statvfs(b"/")

    def readlink(self, path: bytes) -> bytes:
        raise asyncssh.SFTPNoSuchFile("There are no links in openBIS")

    def _refuse(self, *args: Any) -> None:
        raise asyncssh.SFTPPermissionDenied("openBIS datasets are read-only")

    write = remove = mkdir = rmdir = rename = posix_rename = _refuse
    setstat = lsetstat = fsetstat = symlink = link = fsync = _refuse
