"""Time the REANA sandbox at benchmark scale against its plain seed, side by side.

Two sandboxes run at once (`--only reana`): the plain one (8 demo runs) and one seeded
with `--scale` extra runs (default 5,000). For each: seconds until the state file is
written, then the median latency of the list calls a UI makes on its first page of 20:
plain, with a name search, and with workspace sizes (seeded workspaces are written on
first sight, so the first call is not counted). Prints both and scaled/plain ratios.
Run: `.venv/bin/python bench/bench_sandbox_reana.py [--scale 5000] [--runs 20]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import httpx

from reana_openbis_lab.sandbox.process import SandboxProcess

PAGE = 20


def timed_start(scale: int) -> tuple[SandboxProcess, dict[str, Any], float]:
    process = SandboxProcess(["--only", "reana", "--scale", str(scale)])
    started = time.perf_counter()
    state = process.start()
    return process, state, time.perf_counter() - started


def median_call(client: httpx.Client, runs: int, params: dict[str, Any]) -> float:
    client.get("/api/workflows", params=params).raise_for_status()  # warm-up, not counted
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/api/workflows", params=params)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(times)


def measure(state: dict[str, Any], runs: int) -> dict[str, float]:
    base = {"access_token": state["reana"]["token"], "type": "batch", "size": PAGE, "page": 1}
    search = json.dumps({"name": ["demo"]})
    with httpx.Client(base_url=state["reana"]["url"], timeout=60) as client:
        return {
            "page": median_call(client, runs, base),
            "search": median_call(client, runs, {**base, "search": search}),
            "sizes": median_call(client, runs, {**base, "include_workspace_size": "true"}),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    plain, plain_state, plain_ready = timed_start(0)
    scaled, scaled_state, scaled_ready = timed_start(args.scale)
    try:
        plain_times = measure(plain_state, args.runs)
        scaled_times = measure(scaled_state, args.runs)
    finally:
        plain.stop()
        scaled.stop()
    print(f"{'':<22}{'plain':>10}{f'scale {args.scale}':>14}{'ratio':>8}")
    print(
        f"{'ready (s)':<22}{plain_ready:>10.2f}{scaled_ready:>14.2f}{scaled_ready / plain_ready:>8.1f}"
    )
    for name, plain_time in plain_times.items():
        scaled_time = scaled_times[name]
        label = f"list {name} (ms)"
        print(
            f"{label:<22}{plain_time * 1000:>10.1f}{scaled_time * 1000:>14.1f}"
            f"{scaled_time / plain_time:>8.1f}"
        )


if __name__ == "__main__":
    main()
