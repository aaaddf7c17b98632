"""Event-loop probe, run as its own process: `GET /api/status` and `GET /reana-openbis-lab/info` every
20 ms until its standard input closes, then the latencies (milliseconds) as one JSON list.

A server whose event loop is busy answers late, whatever the request: the latency of these two
cheap requests is how long any user of the server waits for anything.
Usage: `python bench/probe.py <server URL> <token>`; prints `ready` once the first answers came.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import httpx

INTERVAL = 0.020
PATHS = ("/api/status", "/reana-openbis-lab/info")


def main() -> None:
    url, token = sys.argv[1:3]
    stop = threading.Event()

    def until_stdin_closes() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=until_stdin_closes, daemon=True).start()
    latencies: list[float] = []
    with httpx.Client(
        base_url=url, headers={"Authorization": f"token {token}"}, timeout=60
    ) as client:
        for path in PATHS:  # open the connection; not counted
            client.get(path).raise_for_status()
        print("ready", flush=True)
        tick = time.perf_counter()
        while not stop.is_set():
            for path in PATHS:
                started = time.perf_counter()
                client.get(path).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
            tick += INTERVAL
            delay = tick - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                tick = time.perf_counter()  # late: do not send a burst to catch up
    print(json.dumps(latencies), flush=True)


if __name__ == "__main__":
    main()
