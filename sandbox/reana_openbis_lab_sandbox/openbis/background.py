"""Run the sandbox openBIS in a background thread with its own event loop.

For tests and benchmarks that want a server in-process (the shared CLI runs it as a
separate process instead). Binds an ephemeral loopback port, so parallel runs never clash.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tornado import httpserver, netutil

from ..faults import Faults
from .app import make_app
from .store import OpenbisStore


@dataclass
class RunningOpenbis:
    url: str
    store: OpenbisStore
    faults: Faults


@contextmanager
def running_openbis(data_dir: Path, *, scale: int = 0, seed: int = 0) -> Iterator[RunningOpenbis]:
    store = OpenbisStore(data_dir, scale=scale, seed=seed)
    faults = Faults()
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()

    async def main() -> None:
        app = make_app(store=store, faults=faults, public_url=url)
        server = httpserver.HTTPServer(app, max_body_size=1024 * 1024 * 1024)
        server.add_sockets(sockets)
        started.set()
        await stop.wait()
        server.stop()
        await server.close_all_connections()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    started.wait(timeout=30)
    try:
        yield RunningOpenbis(url, store, faults)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
