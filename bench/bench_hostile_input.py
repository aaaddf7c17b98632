"""Time the work one hostile request can put on the event loop: scrubbing and request checks.

For 1 MB of text shaped to make backtracking patterns try every split, side by side in one
run (alternating, median of the runs):

- scrub: the openBIS `Scrubber`, REANA's `scrub` and `calls.translate` of a pybis error
  carrying the text; reference: one `str.replace` over the same text (what touching each
  character once costs);
- request: `Operation.check_body` of POST /openbis/uploads with the text as `datasetType`
  (parse, structural limits, schema: refused by maxLength); reference: `json.loads` of the
  same body;
- nesting: `parse_body` of 100,000 nested arrays; reference: `json.loads` of `[]` padded to
  the same size.

Goal: each ratio <= 5 and each figure < 50 ms (the event loop must not notice). The test
suites check behaviour on the same inputs; timings live here only.
Run: `.venv/bin/python bench/bench_hostile_input.py [--runs 5]`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import time
from collections.abc import Callable

from reana_openbis_lab.errors import LabError
from reana_openbis_lab.handlers import request_contract
from reana_openbis_lab.handlers.contract import parse_body
from reana_openbis_lab.handlers.openbis_transfers import UploadsHandler
from reana_openbis_lab.openbis import calls
from reana_openbis_lab.reana import scrub as reana_scrub

MB = 1_000_000
GOAL_RATIO = 5.0
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


def figures() -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    upload = request_contract().operation(UploadsHandler, "post")
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    flat = ("[" + " " * (len(deep) - 2) + "]").encode()
    out = {}
    for shape, text in HOSTILE.items():
        scrubber = calls.Scrubber(["hunter2-password"])
        out[f"scrub openBIS {shape}"] = (
            lambda t=text, s=scrubber: s(t),
            lambda t=text: t.replace("hunter2-password", "***"),
        )
        out[f"scrub REANA {shape}"] = (
            lambda t=text: reana_scrub.scrub(t),
            lambda t=text: t.replace("access_token", "***"),
        )
        out[f"translate {shape}"] = (
            lambda t=text: calls.translate(ValueError(t), server="s", scrub=calls.Scrubber()),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{'figure':32} {'measured ms':>12} {'reference ms':>13} {'ratio':>7}  goal")
    for name, (ours, reference) in figures().items():
        mine, theirs = [], []
        for _ in range(runs):
            mine.append(timed(ours))
            theirs.append(timed(reference))
        measured, base = statistics.median(mine), statistics.median(theirs)
        ratio = measured / base if base else float("inf")
        met = measured < GOAL_SECONDS or ratio <= GOAL_RATIO
        print(
            f"{name:32} {measured * 1000:12.2f} {base * 1000:13.2f} {ratio:7.1f}  "
            f"{'met' if met else 'missed'}"
        )


if __name__ == "__main__":
    main()
