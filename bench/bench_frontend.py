"""JavaScript bytes of the built labextension: what every JupyterLab user downloads with the extension.

Makes a production build (`jlpm build:prod`, into reana_openbis_lab/labextension; a later `make build`
makes the development build again), then sums the .js files in its static/ folder, raw and gzipped
(level 9, as a web server would send them); source maps are not sent to browsers and not counted.

Figures: raw bytes (goal <= 120 KB), gzip bytes (reported); the JSON lists every file.
Run alone: `.venv/bin/python bench/bench_frontend.py`.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

from figures import Figure
from harness import Context

REPOSITORY = Path(__file__).resolve().parent.parent
STATIC = REPOSITORY / "reana_openbis_lab" / "labextension" / "static"
RAW_GOAL_KB = 120.0


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


def figures(context: Context) -> list[Figure]:
    production_build()
    sizes = javascript_sizes()
    raw = [float(size[0]) / 1000 for size in sizes.values()]
    zipped = [float(size[1]) / 1000 for size in sizes.values()]
    files = ", ".join(f"{name} {r} B / {z} B" for name, (r, z) in sizes.items())
    return [
        Figure(
            "frontend JS, raw (production build)",
            "KB",
            sum(raw),
            goal=RAW_GOAL_KB,
            samples={"files_raw_kb": raw},
            note=files,
        ),
        Figure(
            "frontend JS, gzip (production build)",
            "KB",
            sum(zipped),
            samples={"files_gzip_kb": zipped},
            note=files,
        ),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "frontend", *sys.argv[1:]]))
