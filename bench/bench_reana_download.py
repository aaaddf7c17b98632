"""Download one big REANA workspace file with the lab's async client and with reana-client.

reana-client's `download_file` returns the whole file in memory before it writes it;
the lab's `ReanaClient.download_file` streams it to disk chunk by chunk. This starts the
REANA sandbox (a child process), uploads a file of SIZE_MB MB into a new workflow, then
alternates the two downloads, each in a fresh child process so that their peak memory
(max RSS) and wall time are measured the same way:

- lab: `ReanaClient.download_file(...)` into a file (this project's environment);
- reana-client: `reana-client download` (the reana-client 0.9.6 environment, `$REANA_CLIENT_ENV` or the default).

Figures: median seconds and peak RSS, lab/reana-client (goal <= 1.0 each).
Run alone: `.venv/bin/python bench/bench_reana_download.py [--runs 3]`.
Measured 2026-11-22 (100 MB, 2 runs, 2 shared cores): time ratio 1.15 (noise), max RSS
40 MB vs 270 MB, ratio 0.15.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from figures import Figure, alternate, compared
from harness import Context

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab.reana.environment import default_env_path, env_python
from reana_openbis_lab.sandbox.reana.seed import demo_specification

REMOTE_NAME = "big/payload.bin"
SIZE_MB = 100

#: Child that downloads with the lab client and prints {"seconds", "max_rss_kb"}.
LAB_CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, sys, time
    from reana_openbis_lab.reana.client import ReanaClient

    async def main(url, token, workflow, name, target):
        client = ReanaClient(url, token, timeout=60)
        start = time.perf_counter()
        with open(target, "wb") as handle:
            await client.download_file(workflow, name, handle)
        seconds = time.perf_counter() - start
        await client.aclose()
        return seconds

    seconds = asyncio.run(main(*sys.argv[1:6]))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "max_rss_kb": rss}))
    """
)

#: Child that downloads with reana-client's own CLI code path, in-process, same report.
REANA_CLIENT_CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    url, token, workflow, name, target_dir = sys.argv[1:6]
    os.environ["REANA_SERVER_URL"] = url
    os.environ["REANA_ACCESS_TOKEN"] = token
    from reana_client.cli import cli
    start = time.perf_counter()
    try:
        cli.main(["download", "-w", workflow, name, "-o", target_dir], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "max_rss_kb": rss}))
    """
)


async def prepare(url: str, token: str, size_mb: int, scratch: Path) -> str:
    client = ReanaClient(url, token, timeout=120)
    try:
        created = await client.create_workflow("bench-download", demo_specification("bench"))
        source = scratch / "payload.bin"
        with source.open("wb") as handle:
            for _ in range(size_mb):
                handle.write(os.urandom(1024 * 1024))
        await client.upload_file(created["workflow_id"], REMOTE_NAME, source)
        source.unlink()
        return created["workflow_id"]
    finally:
        await client.aclose()


def run_child(python: Path, code: str, args: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [str(python), "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def figures(context: Context) -> list[Figure]:
    env = default_env_path()
    rc_python = env_python(env)
    if not rc_python.exists():
        raise RuntimeError(
            f"no reana-client environment at {env}: run "
            "`jupyter reana-openbis-lab install-reana-client` (make setup does)"
        )
    url, token = context.reana["url"], context.reana["token"]
    scratch = context.workdir / "reana-download"
    scratch.mkdir()
    workflow = asyncio.run(prepare(url, token, SIZE_MB, scratch))
    results: dict[str, list[dict[str, float]]] = {"lab": [], "reana-client": []}

    def lab() -> float:
        target = scratch / "lab.bin"
        results["lab"].append(
            run_child(
                Path(sys.executable), LAB_CHILD, [url, token, workflow, REMOTE_NAME, str(target)]
            )
        )
        target.unlink()
        return results["lab"][-1]["seconds"]

    def reana_client() -> float:
        out_dir = scratch / "rc"
        out_dir.mkdir()
        results["reana-client"].append(
            run_child(
                rc_python, REANA_CLIENT_CHILD, [url, token, workflow, REMOTE_NAME, str(out_dir)]
            )
        )
        shutil.rmtree(out_dir)
        return results["reana-client"][-1]["seconds"]

    seconds = alternate(context.runs, {"lab": lab, "reana-client": reana_client})
    memory = {tool: [r["max_rss_kb"] / 1024 for r in runs] for tool, runs in results.items()}
    name = f"REANA workspace download {SIZE_MB} MB, lab client"
    return [
        compared(f"{name}, time", "s", seconds, "lab", "reana-client", goal=1.0),
        compared(f"{name}, peak RSS", "MiB", memory, "lab", "reana-client", goal=1.0),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "reana-download", *sys.argv[1:]]))
