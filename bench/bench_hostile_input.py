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
  the same size.

Figures: per operation, its slowest shape, goal < 50 ms (the event loop must not notice); the
ratio to the reference is in the note. The test suites check behaviour on the same inputs;
timings live here only.
Run alone: `.venv/bin/python bench/bench_hostile_input.py [--runs 5]`.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable

from figures import Figure, alternate
from harness import Context

from reana_openbis_lab import scrub
from reana_openbis_lab.errors import LabError
from reana_openbis_lab.handlers import request_contract
from reana_openbis_lab.handlers.contract import parse_body
from reana_openbis_lab.handlers.openbis_transfers import UploadsHandler
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
    return [
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
