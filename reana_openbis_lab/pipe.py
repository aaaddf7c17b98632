"""A bounded byte pipe between two threads: one server's response feeds another's request.

The provenance loop moves a file from one server straight into another (openBIS data
store -> REANA workspace, and back) without a local copy. One thread reads the source's
response and `write`s chunks here; the other sends a request whose body `read`s them. The
pipe holds at most `capacity` bytes, so memory stays bounded whatever the file size, and
the two connections overlap: the source is read while the previous chunks are being sent.

Either side can `abort` with an exception: the other side's next `read` or `write` raises
it, so a failure or a cancel on one side stops the other at once instead of waiting for a
timeout.

A data store takes a big file as a series of slice requests (`send_in_slices`). Sent one
after the other, each slice would wait for its answer with the pipe full and both
connections idle: a round trip per slice, scheduled through three busy processes, which
made the REANA -> openBIS stream up to twice as slow as its legs alone (`make bench`). So
the next slice starts as soon as the previous one's bytes are sent, while its answer is
still on its way.
"""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

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

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Hand `data` over; bytes are kept as they are (no copy), anything mutable is copied
        first, since the reader gets views of what was written."""
        view = memoryview(data if isinstance(data, bytes) else bytes(data))
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

    def read(self, size: int = -1) -> memoryview:
        """The next bytes (at most `size`), as a view of what the writer handed over: no
        copy is made on the way through (the bench's profile had one per read as a sixth
        of the relay's time). An empty view: the writer closed the pipe."""
        with self._condition:
            while not self._chunks:
                self._raise_if_aborted()
                if self._closed:
                    return memoryview(b"")
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
        return taken

    def _raise_if_aborted(self) -> None:
        if self._error is not None:
            raise self._error


class PipeSlice:
    """The next `length` bytes of a pipe as a request body of its own (one upload slice)."""

    def __init__(self, pipe: Pipe, length: int, drained: threading.Event | None = None) -> None:
        self._pipe = pipe
        self._left = length
        self._length = length
        #: Set once the slice's last byte has been read from the pipe.
        self.drained = drained or threading.Event()
        if length == 0:
            self.drained.set()

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> memoryview:
        if self._left == 0:
            return memoryview(b"")
        data = self._pipe.read(self._left if size < 0 else min(size, self._left))
        if not data:
            raise PipeAborted("the source ended before the announced size")
        self._left -= len(data)
        if self._left == 0:
            self.drained.set()
        return data


#: Slice requests in flight at once: one sending while the one before waits for its answer.
SLICES_IN_FLIGHT = 2


def send_in_slices(
    pipe: Pipe,
    lengths: Sequence[int],
    send: Callable[[int, PipeSlice], None],
    stop: Callable[[], None],
    name: str,
    in_flight: int = SLICES_IN_FLIGHT,
) -> None:
    """`send(index, body)` for consecutive slices of the pipe's bytes, `lengths` long, from
    threads of their own: slice i+1 starts once slice i's bytes have left the pipe, so its
    answer is awaited while the next slice is sent. `send` must make a request whose body
    is `body` (nothing else reads the pipe meanwhile).

    The first failure aborts the pipe (a slice waiting for bytes stops), calls `stop` (which
    must end a slice waiting for its answer, e.g. by cutting its connection) and is raised
    once every slice has ended; no later slice starts.
    """
    lock = threading.Lock()
    failures: list[BaseException] = []

    def ended(future: Future[None], moved_on: threading.Event) -> None:
        error = future.exception()
        if error is not None:
            with lock:
                first = not failures
                failures.append(error)
            if first:
                pipe.abort(error if isinstance(error, Exception) else PipeAborted())
                stop()
        moved_on.set()

    # Threads made here inherit the calling thread's priority (Linux: per thread, at clone).
    with ThreadPoolExecutor(in_flight, thread_name_prefix=name) as pool:
        for index, length in enumerate(lengths):
            if failures:
                break
            moved_on = threading.Event()  # this slice's bytes are sent, or it ended
            future = pool.submit(send, index, PipeSlice(pipe, length, moved_on))
            future.add_done_callback(functools.partial(ended, moved_on=moved_on))
            moved_on.wait()
    if failures:
        raise failures[0]
