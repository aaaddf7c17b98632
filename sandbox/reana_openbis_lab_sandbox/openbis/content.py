"""Where the bytes of a dataset file come from: a file on disk, or a deterministic generator.

Generated content lets the sandbox offer a 120 MB dataset (and 10,000 extra small ones
for benchmarks) without writing or holding them: any byte range is computed on demand
from a fixed seed, so two downloads and a checksum always agree.
"""

from __future__ import annotations

import io
import os
import random
import threading
import zlib
from pathlib import Path
from typing import BinaryIO, Protocol

READ_BLOCK = 1024 * 1024


class FileSource(Protocol):
    size: int

    def read(self, offset: int, length: int) -> bytes: ...

    def crc32(self) -> int: ...


class _CrcCache:
    """CRC32 is costly on big files and never changes: compute once, on first demand."""

    def __init__(self) -> None:
        self._crc: int | None = None
        self._lock = threading.Lock()

    def get(self, source: FileSource) -> int:
        with self._lock:
            if self._crc is None:
                crc = 0
                for offset in range(0, source.size, READ_BLOCK):
                    crc = zlib.crc32(source.read(offset, READ_BLOCK), crc)
                self._crc = crc
            return self._crc


class DiskFile:
    """A file stored under the store's data directory (seed files and uploads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._crc = _CrcCache()

    def read(self, offset: int, length: int) -> bytes:
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return fh.read(max(0, min(length, self.size - offset)))

    def crc32(self) -> int:
        return self._crc.get(self)


_BASE_BLOCK_SIZE = 64 * 1024
_base_blocks: dict[int, bytes] = {}
_base_lock = threading.Lock()


def _base_block(seed: int) -> bytes:
    with _base_lock:
        block = _base_blocks.get(seed)
        if block is None:
            block = random.Random(seed).randbytes(_BASE_BLOCK_SIZE)
            _base_blocks[seed] = block
        return block


class GeneratedFile:
    """Pseudo-random bytes defined by (seed, size): block i is the seed's base block rotated by i.

    Rotation keeps generation at C speed (slicing) while no two blocks are equal.
    """

    def __init__(self, seed: int, size: int) -> None:
        self.seed = seed
        self.size = size
        self._crc = _CrcCache()

    def _block(self, index: int) -> bytes:
        base = _base_block(self.seed)
        shift = (index * 7919) % _BASE_BLOCK_SIZE
        return base[shift:] + base[:shift]

    def read(self, offset: int, length: int) -> bytes:
        end = min(self.size, offset + length)
        parts = []
        position = offset
        while position < end:
            index, within = divmod(position, _BASE_BLOCK_SIZE)
            take = min(_BASE_BLOCK_SIZE - within, end - position)
            parts.append(self._block(index)[within : within + take])
            position += take
        return b"".join(parts)

    def crc32(self) -> int:
        return self._crc.get(self)


class SourceReader(io.RawIOBase):
    """A seekable, read-only binary file object over any FileSource (for the SFTP endpoint)."""

    def __init__(self, source: FileSource) -> None:
        self._source = source
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._source.size}
        self._position = max(0, base[whence] + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._source.read(self._position, len(buffer))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


def open_source(source: FileSource) -> BinaryIO:
    if isinstance(source, DiskFile):
        return open(source.path, "rb")
    return io.BufferedReader(SourceReader(source), buffer_size=READ_BLOCK)  # type: ignore[return-value]
