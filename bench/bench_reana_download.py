"""Download one big REANA workspace file with the lab's async client and with reana-client.

reana-client's `download_file` returns the whole file in memory before it writes it;
the lab's `ReanaClient.download_file` streams it to disk chunk by chunk. This starts the
REANA sandbox (a child process), uploads a file of `--size-mb` MB into a new workflow, then
alternates the two downloads, each in a fresh child process so that their peak memory
(max RSS) and wall time are measured the same way:

- lab: `ReanaClient.download_file(...)` into a file (this project's environment);
- reana-client: `reana-client download` (the reana-client 0.9.6 environment, `--reana-client-env`).

Prints every run, the medians and the ratios lab/reana-client (below 1 means less).
Run: `.venv/bin/python bench/bench_reana_download.py [--size-mb 200] [--runs 3]`.
Measured 2026-11-22 (100 MB, 2 runs, 2 shared cores): time ratio 1.15 (noise), max RSS
40 MB vs 270 MB, ratio 0.15.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab.reana.environment import default_env_path, env_python
from reana_openbis_lab.sandbox.process import SandboxProcess
from reana_openbis_lab.sandbox.reana.seed import demo_specification

REMOTE_NAME = "big/payload.bin"

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
        raise SystemExit(f"child failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--reana-client-env",
        type=Path,
        default=None,
        help="environment with reana-client 0.9.6 (default: $REANA_CLIENT_ENV or the extension's)",
    )
    options = parser.parse_args()
    env = options.reana_client_env or default_env_path()
    rc_python = env_python(env)
    if not rc_python.exists():
        raise SystemExit(
            f"no reana-client environment at {env}: run "
            "`jupyter reana-openbis-lab install-reana-client` or pass --reana-client-env"
        )

    sandbox = SandboxProcess(["--only", "reana"])
    state = sandbox.start()
    url, token = state["reana"]["url"], state["reana"]["token"]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-reana-") as scratch_name:
            scratch = Path(scratch_name)
            workflow = asyncio.run(prepare(url, token, options.size_mb, scratch))
            results: dict[str, list[dict[str, float]]] = {"lab": [], "reana-client": []}
            for run in range(options.runs):
                target = scratch / f"lab-{run}.bin"
                lab = run_child(
                    Path(sys.executable),
                    LAB_CHILD,
                    [url, token, workflow, REMOTE_NAME, str(target)],
                )
                target.unlink()
                out_dir = scratch / f"rc-{run}"
                out_dir.mkdir()
                rc = run_child(
                    rc_python, REANA_CLIENT_CHILD, [url, token, workflow, REMOTE_NAME, str(out_dir)]
                )
                for path in out_dir.rglob("*"):
                    if path.is_file():
                        path.unlink()
                results["lab"].append(lab)
                results["reana-client"].append(rc)
                print(
                    f"run {run + 1}: lab {lab['seconds']:.2f} s {lab['max_rss_kb'] / 1024:.0f} MB | "
                    f"reana-client {rc['seconds']:.2f} s {rc['max_rss_kb'] / 1024:.0f} MB"
                )
    finally:
        sandbox.stop()

    def median(tool: str, key: str) -> float:
        return statistics.median(r[key] for r in results[tool])

    print(f"file: {options.size_mb} MB, {options.runs} runs, medians:")
    for key, unit, scale in (("seconds", "s", 1), ("max_rss_kb", "MB", 1024)):
        lab, rc = median("lab", key), median("reana-client", key)
        print(
            f"  {key}: lab {lab / scale:.2f} {unit}, reana-client {rc / scale:.2f} {unit}, "
            f"ratio lab/reana-client {lab / rc:.2f}"
        )


if __name__ == "__main__":
    main()
