"""The frontend as users feel it: what the browser downloads, how much longer JupyterLab takes to start, and
how fast the openBIS panel answers.

Bytes: makes a production build (`jlpm build:prod`, into reana_openbis_lab/labextension; a later `make build`
makes the development build again), then sums the .js files in its static/ folder gzipped (level 9, as a web
server sends them; goal <= 75 KB, a few per cent of JupyterLab's own); source maps are not sent to browsers and
not counted. The raw bytes are in the figure's note and the JSON lists every file.

Start: ui-tests/bench/startup.bench.ts, from the page's navigation until JupyterLab has restored its layout,
with the extension and, alternated in the same run, without it (its entry left out of the page's prebuilt
extensions); goal: with <= 1.10 x without.

Times: Galata in bench mode (`ui-tests/playwright.bench.config.ts`, specs in ui-tests/bench/, not part of
`make test`) on the demo started with `--scale 10000` (real sandbox data) on a free port, serving that
production build, in Debian's Chromium. Each figure is the median of `--runs` fresh pages (after a warm-up
page that meets the cold server), on the browser's own clock:
- the panel with 1,000 items: from the click on the panel's tab until the openBIS tree shows its top level
  of 1,000 spaces (page size set to its maximum, 1,000) and ArrowDown has selected the first row; the
  level's request is held until the click, so asking, rendering and answering a key all count;
- the first page of a 10,000-dataset level: from the ArrowRight on /BENCH/LOAD/MANY until its first 100
  rows are painted.
Goal <= 1 s each. The reference is the same request(s) sent by `fetch` from the same page in the same run:
the ratio says how much longer the UI takes than the bytes alone. The JSON keeps, per run, when the rows
were on screen and when the response had arrived (resource timing), i.e. the network's part.
Without Chromium or the UI test packages these two figures are reported as not measured, with the reason.
Run alone: `.venv/bin/python bench/bench_frontend.py`.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from figures import Figure, median
from harness import Context

REPOSITORY = Path(__file__).resolve().parent.parent
STATIC = REPOSITORY / "reana_openbis_lab" / "labextension" / "static"
UI_TESTS = REPOSITORY / "ui-tests"
GZIP_GOAL_KB = 75.0
START_GOAL_RATIO = 1.10
TIME_GOAL_S = 1.0
GALATA_TIMEOUT_S = 1200


def production_build() -> None:
    jlpm = shutil.which("jlpm")
    if jlpm is None:
        raise RuntimeError("jlpm not found: run `make setup` (it comes with jupyterlab)")
    shutil.rmtree(STATIC, ignore_errors=True)  # no file of an earlier build is counted
    done = subprocess.run(
        [jlpm, "build:prod"], cwd=REPOSITORY, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"jlpm build:prod failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def javascript_sizes() -> dict[str, tuple[int, int]]:
    """File name -> (raw bytes, gzip bytes) of every .js file the browser may load."""
    sizes = {}
    for path in sorted(STATIC.glob("*.js")):
        data = path.read_bytes()
        sizes[path.name] = (len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
    if not sizes:
        raise RuntimeError(f"the build left no .js file in {STATIC}")
    return sizes


class AbsoluteFigure(Figure):
    """A figure whose goal is on the measured value itself; its reference is shown for context."""

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        return not math.isnan(self.measured) and self.measured <= self.goal

    def goal_text(self) -> str:
        return f"<= {self.goal:g} {self.unit}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _jlpm() -> str | None:
    """jlpm of this interpreter's environment (it comes with jupyterlab), else the one on PATH."""
    beside = Path(sys.executable).parent / "jlpm"
    return str(beside) if beside.exists() else shutil.which("jlpm")


def missing_for_galata() -> str | None:
    """Why the browser timings cannot run here, in one line; None when they can."""
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (apt-get install chromium, or set CHROMIUM_PATH)"
    if _jlpm() is None:
        return "jlpm not found: run `make setup`"
    if not (UI_TESTS / "node_modules" / "@jupyterlab" / "galata").exists():
        return "the UI test packages are not installed: run `make ui-deps`"
    return None


def galata_timings(context: Context) -> dict[str, Any]:
    """Run the bench specs once (all runs inside): their JSON (ui-tests/bench/panel.bench.ts)."""
    out = context.workdir / "bench-frontend.json"
    start_out = context.workdir / "bench-startup.json"
    log = context.workdir / "galata-bench.log"
    # The demo server starts as `python -m ...`: it must be this interpreter (make runs .venv/bin/python
    # without the venv on PATH), and so must jlpm.
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
        "GALATA_PORT": str(_free_port()),
        "BENCH_DEMO_DIR": str(context.workdir / "galata-demo"),
        "BENCH_FRONTEND_OUT": str(out),
        "BENCH_STARTUP_OUT": str(start_out),
        "BENCH_RUNS": str(context.runs),
    }
    with open(log, "wb") as output:
        done = subprocess.run(
            [str(_jlpm()), "playwright", "test", "-c", "playwright.bench.config.ts"],
            cwd=UI_TESTS,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=GALATA_TIMEOUT_S,
            check=False,
        )
    if done.returncode != 0 or not out.exists() or not start_out.exists():
        tail = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"Galata bench mode failed (exit {done.returncode}):\n{tail}")
    return {**json.loads(out.read_text()), "start": json.loads(start_out.read_text())}


def _timing_figure(name: str, part: dict[str, list[dict[str, float]]], what: str) -> Figure:
    """Seconds from the page's milliseconds: the end of the figure vs the same request(s) by fetch."""
    runs = part["samples"]
    samples = {
        key: [run[key] / 1000 for run in runs]
        for key in ("total", "fetch", "response", "inDom", "rendered", "answered")
    }
    samples["warm_up_total"] = [run["total"] / 1000 for run in part["warmUp"]]
    return AbsoluteFigure(
        name,
        "s",
        median(samples["total"]),
        reference=median(samples["fetch"]),
        reference_name="fetch of the same request(s)",
        goal=TIME_GOAL_S,
        samples=samples,
        note=(
            f"{what}; medians after the start: response arrived {median(samples['response']):.3f} s, "
            f"rows in the DOM {median(samples['inDom']):.3f} s, laid out "
            f"{median(samples['rendered']):.3f} s, key answered {median(samples['answered']):.3f} s "
            f"(no key for the first page), painted {median(samples['total']):.3f} s; "
            f"cold server (warm-up) {median(samples['warm_up_total'] or [math.nan]):.3f} s"
        ),
    )


START_FIGURE = "JupyterLab start with the extension (navigation to layout restored)"
PANEL_FIGURE = "openBIS panel with 1,000 items (tab click to rows, key answered)"
FIRST_PAGE_FIGURE = "openBIS first page of 10,000 datasets in the tree (expand to rows)"


def _start_figure(part: dict[str, dict[str, list[float]]]) -> Figure:
    """Seconds to a restored JupyterLab with the extension, against the same without it."""
    seconds = {way: [ms / 1000 for ms in part[way]["samples"]] for way in ("with", "without")}
    return Figure(
        START_FIGURE,
        "s",
        median(seconds["with"]),
        reference=median(seconds["without"]),
        reference_name="JupyterLab without the extension",
        goal=START_GOAL_RATIO,
        samples=seconds,
        note="fresh browser context per run (cold cache), alternated ABBA after a warm-up of each",
    )


def timing_figures(context: Context) -> list[Figure]:
    """The browser timings, or all as not measured with the one-line reason."""
    reason = missing_for_galata()
    if reason is None:
        try:
            timings = galata_timings(context)
        except (RuntimeError, subprocess.TimeoutExpired, OSError, ValueError) as exc:
            reason = str(exc)
    if reason is not None:
        line = reason.splitlines()[0]
        print(f"[bench] frontend timings not measured: {line}", file=sys.stderr)
        # The reason goes into the name, so the table itself says why (measured: nan, MISSED).
        return [
            Figure(
                f"{START_FIGURE}: NOT MEASURED, {line}",
                "s",
                math.nan,
                goal=START_GOAL_RATIO,
                note=f"not measured: {reason}",
            ),
            *(
                AbsoluteFigure(
                    f"{name}: NOT MEASURED, {line}",
                    "s",
                    math.nan,
                    goal=TIME_GOAL_S,
                    note=f"not measured: {reason}",
                )
                for name in (PANEL_FIGURE, FIRST_PAGE_FIGURE)
            ),
        ]
    return [
        _start_figure(timings["start"]),
        _timing_figure(
            PANEL_FIGURE,
            timings["panel"],
            f"{timings['wideRows']} top-level spaces, page size {timings['wideRows']}",
        ),
        _timing_figure(
            FIRST_PAGE_FIGURE,
            timings["firstPage"],
            f"first {timings['firstPageRows']} rows of /BENCH/LOAD/MANY",
        ),
    ]


def figures(context: Context) -> list[Figure]:
    production_build()
    sizes = javascript_sizes()
    raw = [float(size[0]) / 1000 for size in sizes.values()]
    zipped = [float(size[1]) / 1000 for size in sizes.values()]
    files = ", ".join(f"{name} {r} B / {z} B" for name, (r, z) in sizes.items())
    return [
        Figure(
            "frontend JS, gzip (production build)",
            "KB",
            sum(zipped),
            goal=GZIP_GOAL_KB,
            samples={"files_gzip_kb": zipped, "files_raw_kb": raw},
            note=f"raw {sum(raw):.1f} KB; {files}",
        ),
        *timing_figures(context),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "frontend", *sys.argv[1:]]))
