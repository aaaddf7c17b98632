"""Threads that move bytes, kept from slowing the event loop down.

A transfer's bytes are read from sockets, checksummed and written to disk in threads of
their own, so the event loop only hears about progress. On a machine with few cores those
threads still compete with the event-loop thread for a core: Linux schedules each thread on
its own, so a transfer thread lowers its own priority (a higher nice value) and the thread
that answers every request wins whenever both want to run. bench/profile.py and
`make bench` (event loop under load) measure the effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: Nice value of transfer threads (0 is the default, 19 the lowest priority).
TRANSFER_NICENESS = 10


def lower_this_thread() -> None:
    """Give the calling thread (not the process) a nice value of at least TRANSFER_NICENESS.

    Only for threads that end with their transfer: an unprivileged process cannot raise a
    thread's priority again, so a pooled thread would stay low for whatever it runs next.
    Elsewhere than Linux, or when the system refuses, nothing changes.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        if current < TRANSFER_NICENESS:
            os.setpriority(os.PRIO_PROCESS, thread, TRANSFER_NICENESS)


async def run_in_own_thread(fn: Callable[[], T], stop: Callable[[], None], name: str) -> T:
    """Run `fn` in a new low-priority thread; a cancellation calls `stop` (which must make
    `fn` end soon) and is re-raised only once the thread has ended, so the caller never
    cleans up under a thread still writing. `fn`'s exception is raised here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(setter: Callable[[Any], None], value: Any) -> None:
        if not future.done():
            setter(value)

    def runner() -> None:
        lower_this_thread()
        try:
            result = fn()
        except BaseException as exc:  # handed to the coroutine, which decides what it means
            loop.call_soon_threadsafe(deliver, future.set_exception, exc)
        else:
            loop.call_soon_threadsafe(deliver, future.set_result, result)

    threading.Thread(target=runner, name=name, daemon=True).start()
    while True:
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if future.done():
                raise
            stop()
