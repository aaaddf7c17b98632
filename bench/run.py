"""`make bench`: every benchmark in one run, one table (figure, goal, measured, reference, ratio,
met/missed) and one JSON file under bench/results/.

Each figure is measured side by side with its reference in the same run, alternating, and is the
median of `--runs` (>= 3) runs. The sandboxes and the Jupyter server start inside the run, on free
ports, only for the benchmarks that need them. A benchmark that fails is reported below the table
and in the JSON; the others still run.

Run: `make bench`, or `.venv/bin/python bench/run.py [--runs 3] [--only listing --only validate]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_event_loop
import bench_frontend
import bench_hostile_input
import bench_listing
import bench_loop
import bench_memory
import bench_openbis_download
import bench_openbis_upload
import bench_reana_download
import bench_reana_upload
import bench_sandbox_reana
import bench_validate
from figures import Figure, table
from harness import UPLOAD_MIB, Context

BENCHMARKS = {
    "frontend": bench_frontend.figures,
    "validate": bench_validate.figures,
    "hostile-input": bench_hostile_input.figures,
    "listing": bench_listing.figures,
    "openbis-download": bench_openbis_download.figures,
    "openbis-upload": bench_openbis_upload.figures,
    "reana-download": bench_reana_download.figures,
    "reana-upload": bench_reana_upload.figures,
    "event-loop": bench_event_loop.figures,
    "memory": bench_memory.figures,
    "loop": bench_loop.figures,
    "sandbox-scale": bench_sandbox_reana.figures,
}
RESULTS = Path(__file__).parent / "results"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Run every benchmark; print one table (figure, goal, measured, reference, ratio, "
        "met/missed) and write it as JSON."
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median; >= 3)")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run only these (repeatable)"
    )
    parser.add_argument(
        "--upload-mib",
        type=int,
        default=UPLOAD_MIB,
        help=f"size of the uploaded file in MiB (default {UPLOAD_MIB}, the issue's 1 GiB; "
        "smaller for quick runs)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.upload_mib < 1:
        parser.error("--upload-mib: at least 1 (an upload of nothing measures nothing)")
    if args.runs < 3:
        print(f"--runs {args.runs}: medians of fewer than 3 runs are noise", file=sys.stderr)
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    started = datetime.now(timezone.utc)
    with Context(args.runs, args.upload_mib) as context:
        for name in args.only or BENCHMARKS:
            print(f"[bench] {name} ...", file=sys.stderr, flush=True)
            began = time.monotonic()
            try:
                figures.extend(BENCHMARKS[name](context))
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                errors[name] = "".join(traceback.format_exception(exc))
                print(errors[name], file=sys.stderr)
            print(f"[bench] {name}: {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    print(table(figures))
    for name in errors:
        print(f"FAILED: {name} (traceback above and in the JSON)")
    path = write_results(args.results, started, args.runs, figures, errors)
    print(f"results: {path}")
    return 1 if errors else 0


def write_results(
    folder: Path, started: datetime, runs: int, figures: list[Figure], errors: dict[str, str]
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{started:%Y%m%dT%H%M%SZ}.json"
    document = {
        "started": started.isoformat(),
        "commit": _commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": runs,
        "figures": [figure.as_json() for figure in figures],
        "errors": errors,
    }
    path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n")
    return path


def _commit() -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


if __name__ == "__main__":
    sys.exit(main())
