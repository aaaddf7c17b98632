"""A bounded byte pipe between two threads: one server's response feeds another's request.

The provenance loop moves a file from one server straight into another (openBIS data
store -> REANA workspace, and back) without a local copy. One thread reads the source's
response and `write`s chunks here; the other sends a request whose body `read`s them. The
pipe holds at most `capacity` bytes, so memory stays bounded whatever the file size, and
the two connections overlap: the source is read while the previous chunks are being sent.

Either side can `abort` with an exception: the other side's next `read` or `write` raises
it, so a failure or a cancel on one side stops the other at once instead of waiting for a
timeout.
"""

from __future__ import annotations

import collections
import threading

#: Default bound of bytes in flight per pipe (a few network chunks).
DEFAULT_CAPACITY = 8 * 1024 * 1024


class PipeAborted(Exception):
    """The pipe was aborted without a more specific reason."""


class Pipe:
    """`write` blocks while the pipe is full; `read` blocks while it is empty and open."""

    def __init__(self, size: int, capacity: int = DEFAULT_CAPACITY) -> None:
        #: The number of bytes the writer promised: a request body needs it as its length.
        self.size = size
        self._capacity = capacity
        self._chunks: collections.deque[memoryview] = collections.deque()
        self._buffered = 0
        self._closed = False
        self._error: BaseException | None = None
        self._condition = threading.Condition()
        self.bytes_written = 0
        self.bytes_read = 0

    # ---- the writer's side -------------------------------------------------------------

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        with self._condition:
            while True:
                self._raise_if_aborted()
                if self._buffered == 0 or self._buffered + len(view) <= self._capacity:
                    break
                self._condition.wait()
            self._chunks.append(view)
            self._buffered += len(view)
            self.bytes_written += len(view)
            self._condition.notify_all()

    def close(self) -> None:
        """No more bytes: the reader gets b'' once it has read what is buffered."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    # ---- either side -------------------------------------------------------------------

    def abort(self, error: BaseException | None = None) -> None:
        """Stop both sides; the first reason given wins."""
        with self._condition:
            if self._error is None:
                self._error = error or PipeAborted()
            self._chunks.clear()
            self._buffered = 0
            self._condition.notify_all()

    @property
    def error(self) -> BaseException | None:
        return self._error

    # ---- the reader's side (a request body: `read` and `len`) --------------------------

    def __len__(self) -> int:
        return self.size

    def read(self, size: int = -1) -> bytes:
        with self._condition:
            while not self._chunks:
                self._raise_if_aborted()
                if self._closed:
                    return b""
                self._condition.wait()
            self._raise_if_aborted()
            head = self._chunks[0]
            if size < 0 or size >= len(head):
                self._chunks.popleft()
                taken = head
            else:
                taken, self._chunks[0] = head[:size], head[size:]
            self._buffered -= len(taken)
            self.bytes_read += len(taken)
            self._condition.notify_all()
        return taken.tobytes()

    def _raise_if_aborted(self) -> None:
        if self._error is not None:
            raise self._error


class PipeSlice:
    """The next `length` bytes of a pipe as a request body of its own (one upload slice)."""

    def __init__(self, pipe: Pipe, length: int) -> None:
        self._pipe = pipe
        self._left = length
        self._length = length

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        if self._left == 0:
            return b""
        data = self._pipe.read(self._left if size < 0 else min(size, self._left))
        if not data:
            raise PipeAborted("the source ended before the announced size")
        self._left -= len(data)
        return data
