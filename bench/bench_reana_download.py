"""Download one big REANA workspace file: through the extension, with the lab's async client, with
reana-client, and with curl (the machine's limit), side by side.

reana-client's `download_file` returns the whole file in memory before it writes it; the lab's
`ReanaClient.download_file` streams it to disk chunk by chunk. A workflow of the REANA sandbox gets
a file of SIZE_MB MB, then the ways alternate:

- extension: `POST .../workspace/download` into the Jupyter root, then `GET /jobs/<id>` until done;
- lab: `ReanaClient.download_file(...)` in a fresh child process (this project's environment);
- reana-client: `reana-client download` in a fresh child process (the reana-client 0.9.6
  environment, `$REANA_CLIENT_ENV` or the default), so that peak memory (max RSS) and time of the
  two clients are measured the same way;
- curl (when installed): the same file straight from the REANA API to disk.

Figures: median seconds extension/reana-client (goal <= 1.0) and extension/curl (goal <= 1.11: at
least 0.9 x a plain HTTP client's throughput); lab client/reana-client, seconds and peak RSS.
Run alone: `.venv/bin/python bench/bench_reana_download.py [--runs 3]`.
Measured 2026-11-22 (100 MB, 2 runs, 2 shared cores): lab client time ratio 1.15 (noise), max RSS
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
import time
from pathlib import Path

import httpx
from bench_openbis_download import LIMIT_GOAL
from figures import Figure, alternate, compared
from harness import REANA_CONNECTION, Context, Jupyter, wait_for_job

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab.reana.environment import default_env_path, env_python
from reana_openbis_lab_sandbox.reana.seed import demo_specification

REMOTE_NAME = "big/payload.bin"
SIZE_MB = 100

#: Child that downloads with the lab client and prints {"seconds", "max_rss_kb"}.
LAB_CHILD = textwrap.dedent(
    """
    import asyncio, json, sys, time
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
    # VmHWM: this process's own peak. ru_maxrss would also count the parent's pages at fork time.
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    rss = int(status.split()[0])
    print(json.dumps({"seconds": seconds, "max_rss_kb": rss}))
    """
)

#: Child that downloads with reana-client's own CLI code path, in-process, same report.
REANA_CLIENT_CHILD = textwrap.dedent(
    """
    import json, os, sys, time
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
    # VmHWM: this process's own peak. ru_maxrss would also count the parent's pages at fork time.
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    rss = int(status.split()[0])
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


def run_child(
    python: Path, code: str, args: list[str], cwd: Path | None = None
) -> dict[str, float]:
    done = subprocess.run(
        [str(python), "-c", code, *args], capture_output=True, text=True, check=False, cwd=cwd
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def payload_workflow(context: Context) -> str:
    """The workflow holding REMOTE_NAME (SIZE_MB of random bytes), made once per run."""
    if "reana-payload-workflow" not in context.shared:
        scratch = context.workdir / "reana-payload"
        scratch.mkdir()
        reana = context.reana
        workflow = asyncio.run(prepare(reana["url"], reana["token"], SIZE_MB, scratch))
        context.shared["reana-payload-workflow"] = workflow
    return context.shared["reana-payload-workflow"]


def workspace_file_url(context: Context, workflow: str) -> str:
    reana = context.reana
    return f"{reana['url']}/api/workflows/{workflow}/workspace/{REMOTE_NAME}?access_token={reana['token']}"


def start_extension_download(jupyter: Jupyter, workflow: str, destination: str) -> str:
    reply = httpx.post(
        jupyter.api(
            f"/reana/connections/{REANA_CONNECTION}/workflows/{workflow}/workspace/download"
        ),
        json={"paths": [REMOTE_NAME], "destination": destination},
        headers=jupyter.headers,
        timeout=60,
    )
    reply.raise_for_status()
    return reply.json()["id"]


def finish_extension_download(jupyter: Jupyter, job_id: str, destination: str) -> None:
    job = wait_for_job(jupyter, job_id, interval=0.05)
    shutil.rmtree(jupyter.root / destination, ignore_errors=True)
    if job["state"] != "done":
        raise RuntimeError(f"the extension's workspace download {job['state']}: {job.get('error')}")


def through_extension(jupyter: Jupyter, workflow: str) -> float:
    started = time.perf_counter()
    finish_extension_download(
        jupyter, start_extension_download(jupyter, workflow, "reana-download"), "reana-download"
    )
    return time.perf_counter() - started


def through_curl(url: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "-sSf", "-o", str(target), url], check=True)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def reana_client_python() -> Path:
    """The python of reana-client's own environment; RuntimeError saying how to make it."""
    env = default_env_path()
    rc_python = env_python(env)
    if not rc_python.exists():
        raise RuntimeError(
            f"no reana-client environment at {env}: run "
            "`jupyter reana-openbis-lab install-reana-client` (make setup does)"
        )
    return rc_python


def figures(context: Context) -> list[Figure]:
    rc_python = reana_client_python()
    url, token = context.reana["url"], context.reana["token"]
    workflow = payload_workflow(context)
    scratch = context.workdir / "reana-download"
    scratch.mkdir()
    jupyter = context.jupyter
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

    ways = {
        "extension": lambda: through_extension(jupyter, workflow),
        "lab": lab,
        "reana-client": reana_client,
    }
    if shutil.which("curl"):
        url_of_file = workspace_file_url(context, workflow)
        ways["curl"] = lambda: through_curl(url_of_file, scratch / "curl.bin")
    seconds = alternate(context.runs, ways)
    memory = {tool: [r["max_rss_kb"] / 1024 for r in runs] for tool, runs in results.items()}
    name = f"REANA workspace download {SIZE_MB} MB"
    figures = [
        compared(f"{name}, extension", "s", seconds, "extension", "reana-client", goal=1.0),
        compared(f"{name}, lab client", "s", seconds, "lab", "reana-client", goal=1.0),
        compared(f"{name}, lab client peak RSS", "MiB", memory, "lab", "reana-client", goal=1.0),
    ]
    if "curl" in seconds:
        figures.insert(
            1,
            compared(f"{name}, extension", "s", seconds, "extension", "curl", goal=LIMIT_GOAL),
        )
    return figures


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "reana-download", *sys.argv[1:]]))
