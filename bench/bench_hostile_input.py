"""Time the work one hostile request can put on the event loop: scrubbing and request checks.

For 1 MB of text shaped to make backtracking patterns try every split, side by side in one
run (alternating, median of the runs):

- scrub: the shared scrubber as a connection's `Scrubber`, as `scrub` of any text and as
  `scrub_text` of log text, and `calls.translate` of a pybis error carrying the text; reference: one `str.replace` over the same text (what touching each
  character once costs);
- request: `Operation.check_body` of POST /openbis/uploads with the text as `datasetType`
  (parse, structural limits, schema: refused by maxLength); reference: `json.loads` of the
  same body;
- nesting: `parse_body` of 100,000 nested arrays; reference: `json.loads` of `[]` padded to
  the same size;
- big body: the longest the event loop is held (the largest gap between the ticks of a
  coroutine that sleeps 1 ms at a time) while the server checks, as it does for every
  request, a 1.3 MB POST /openbis/downloads body of 120,000 values and a 1.5 MB POST
  /openbis/uploads body with 99,990 property keys (both refused); reference: `json.loads` of
  the same bytes, which on the loop would hold it that long at least.

Figures: per operation, its slowest shape, goal < 50 ms (the event loop must not notice); the
ratio to the reference is in the note. The test suites check behaviour on the same inputs;
timings live here only.
Run alone: `.venv/bin/python bench/bench_hostile_input.py [--runs 5]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from figures import Figure, alternate
from harness import Context

from reana_openbis_lab import scrub
from reana_openbis_lab.errors import LabError
from reana_openbis_lab.handlers import request_contract
from reana_openbis_lab.handlers.base import checked_body
from reana_openbis_lab.handlers.contract import parse_body
from reana_openbis_lab.handlers.openbis_transfers import DownloadsHandler, UploadsHandler
from reana_openbis_lab.openbis import calls

MB = 1_000_000
GOAL_SECONDS = 0.05
HOSTILE = {
    "letters": "a" * MB,
    "dash-digits": "a-000000" * (MB // 8),
    "session-words": "session " * (MB // 8),
}


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    with contextlib.suppress(LabError):
        fn()
    return time.perf_counter() - started


def cases() -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    upload = request_contract().operation(UploadsHandler, "post")
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    flat = ("[" + " " * (len(deep) - 2) + "]").encode()
    out = {}
    for shape, text in HOSTILE.items():
        scrubber = scrub.Scrubber(["hunter2-password"])
        out[f"scrub message {shape}"] = (
            lambda t=text, s=scrubber: s(t),
            lambda t=text: t.replace("hunter2-password", "***"),
        )
        out[f"scrub text {shape}"] = (
            lambda t=text: scrub.scrub(t),
            lambda t=text: t.replace("access_token", "***"),
        )
        out[f"scrub log {shape}"] = (
            lambda t=text: scrub.scrub_text(t),
            lambda t=text: t.replace("access_token", "***"),
        )
        out[f"translate {shape}"] = (
            lambda t=text: calls.translate(ValueError(t), server="s", scrub=scrub.Scrubber()),
            lambda t=text: t.replace("x", "y"),
        )
        body = json.dumps(
            {
                "connection": "lab",
                "paths": ["a"],
                "datasetType": text,
                "target": {"kind": "object", "id": "/S/P/O"},
            }
        ).encode()
        out[f"request {shape}"] = (
            lambda b=body: upload.check_body(b),
            lambda b=body: json.loads(b),
        )
    out["nesting 100,000"] = (lambda: parse_body(deep), lambda: json.loads(flat))
    return out


def big_bodies() -> dict[str, tuple[type, bytes]]:
    """The two bodies of issue 16 section 4, as a client would send them."""
    values = json.dumps(
        {
            "connection": "lab",
            "permId": "20240101-1",
            "files": [f"f/{i:05d}" for i in range(120_000)],
        }
    )
    keys = json.dumps(
        {
            "connection": "lab",
            "paths": ["a"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "object", "id": "/S/P/O"},
            "properties": {f"P{i:05d}": "v" for i in range(99_990)},
        }
    )
    return {
        f"{len(values) / MB:.1f} MB of 120,000 values": (DownloadsHandler, values.encode()),
        f"{len(keys) / MB:.1f} MB with 99,990 property keys": (UploadsHandler, keys.encode()),
    }


def loop_held(make: Callable[[], Awaitable[object]]) -> float:
    """The longest gap between ticks of a 1 ms sleeper while `make()` runs on the same loop."""

    async def measure() -> float:
        longest = 0.0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal longest
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                longest = max(longest, now - last)
                last = now

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.005)
        with contextlib.suppress(LabError):
            await make()
        done.set()
        await task
        return longest

    return asyncio.run(measure())


def big_body_figures(runs: int) -> list[Figure]:
    out = []
    contract = request_contract()
    for name, (handler, raw) in big_bodies().items():
        operation = contract.operation(handler, "post")
        samples = alternate(
            runs,
            {
                "ours": lambda o=operation, b=raw: loop_held(lambda: checked_body(o, b)),
                "reference": lambda b=raw: timed(lambda: json.loads(b)),
            },
        )
        measured, base = statistics.median(samples["ours"]), statistics.median(samples["reference"])
        out.append(
            Figure(
                f"event loop held by a {name}",
                "ms",
                measured * 1000,
                goal=GOAL_SECONDS * 1000,
                samples={k: [v * 1000 for v in vs] for k, vs in samples.items()},
                note=f"json.loads of the same bytes: {base * 1000:.1f} ms",
            )
        )
    return out


def figures(context: Context) -> list[Figure]:
    """One figure per operation, its slowest input shape: milliseconds against the < 50 ms goal;
    every shape's samples and reference (and the ratio, which matters only over the goal) are in
    the JSON."""
    worst: dict[str, tuple[float, str]] = {}
    detail: dict[str, dict[str, list[float]]] = {}
    for name, (ours, reference) in cases().items():
        samples = alternate(
            context.runs,
            {"ours": lambda f=ours: timed(f), "reference": lambda f=reference: timed(f)},
        )
        measured, base = statistics.median(samples["ours"]), statistics.median(samples["reference"])
        operation = name.rsplit(" ", 1)[0]
        detail.setdefault(operation, {})[f"{name}, ms"] = [v * 1000 for v in samples["ours"]]
        detail[operation][f"{name}, reference ms"] = [v * 1000 for v in samples["reference"]]
        if measured > worst.get(operation, (-1.0, ""))[0]:
            ratio = measured / base if base else 0.0
            worst[operation] = (measured, f"slowest: {name}, ratio to the reference {ratio:.1f}")
    return big_body_figures(context.runs) + [
        Figure(
            f"1 MB hostile input, {operation}",
            "ms",
            measured * 1000,
            goal=GOAL_SECONDS * 1000,
            samples=detail[operation],
            note=note,
        )
        for operation, (measured, note) in worst.items()
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "hostile-input", *sys.argv[1:]]))
