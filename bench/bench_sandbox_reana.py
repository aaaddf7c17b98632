"""Time the REANA sandbox at benchmark scale against its plain seed, side by side.

Two sandboxes run at once (`--only reana`): the plain one (8 demo runs) and the benchmarks' one
seeded with 5,000 extra runs. For each, the median latency (of CALLS calls) of the list calls a UI
makes on its first page of 20: plain, with a name search, and with workspace sizes (seeded
workspaces are written on first sight, so a first call is not counted). Figures: scaled/plain,
reported: a sandbox whose pages slow down with its size would distort every REANA figure.
Run alone: `.venv/bin/python bench/bench_sandbox_reana.py [--runs 3]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from figures import Figure, alternate, compared
from harness import Context

PAGE = 20
CALLS = 10


def median_call(client: httpx.Client, runs: int, params: dict[str, Any]) -> float:
    client.get("/api/workflows", params=params).raise_for_status()  # warm-up, not counted
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/api/workflows", params=params)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(times)


def calls(state: dict[str, Any]) -> dict[str, Callable[[httpx.Client], float]]:
    base = {"access_token": state["token"], "type": "batch", "size": PAGE, "page": 1}
    search = json.dumps({"name": ["demo"]})
    return {
        "page": lambda client: median_call(client, CALLS, base),
        "search": lambda client: median_call(client, CALLS, {**base, "search": search}),
        "sizes": lambda client: median_call(
            client, CALLS, {**base, "include_workspace_size": "true"}
        ),
    }


def figures(context: Context) -> list[Figure]:
    scaled = context.reana
    plain = context.sandbox("--only", "reana")["reana"]
    rows = []
    with (
        httpx.Client(base_url=plain["url"], timeout=60) as plain_client,
        httpx.Client(base_url=scaled["url"], timeout=60) as scaled_client,
    ):
        scaled_calls = calls(scaled)
        for name, on_plain in calls(plain).items():
            on_scaled = scaled_calls[name]
            samples = alternate(
                context.runs,
                {
                    "scaled": lambda f=on_scaled: f(scaled_client),
                    "plain": lambda f=on_plain: f(plain_client),
                },
            )
            rows.append(
                compared(
                    f"sandbox REANA list {name}, 5,000 vs 8 runs",
                    "s",
                    samples,
                    "scaled",
                    "plain",
                    None,
                )
            )
    return rows


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "sandbox-scale", *sys.argv[1:]]))
