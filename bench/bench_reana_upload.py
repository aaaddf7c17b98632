"""Upload one big file (1 GiB unless `--upload-mib`) into a REANA workspace: through the extension,
with reana-client, and with curl (the machine's limit), side by side.

A fresh workflow of the REANA sandbox receives the file under one name; before each sample it is
deleted, after each its size is checked (outside the timing):

- extension: `POST .../workspace/upload` of the file in the Jupyter root, then `GET /jobs/<id>`
  until done;
- reana-client: `reana-client upload -w <workflow> payload.bin` in a fresh child process (the
  reana-client 0.9.6 environment, `$REANA_CLIENT_ENV` or the default), its clock started after
  its imports, run from the file's folder as a user would;
- curl (when installed): the file streamed straight to `POST /api/workflows/<id>/workspace`.

Figures: median seconds extension/reana-client (goal <= 1.0) and extension/curl (goal <= 1.11: at
least 0.9 x a plain HTTP client's throughput).
Run alone: `.venv/bin/python bench/bench_reana_upload.py [--runs 3] [--upload-mib 1024]`.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
from bench_openbis_download import LIMIT_GOAL
from bench_openbis_upload import PAYLOAD, payload
from bench_reana_download import reana_client_python, run_child
from figures import Figure, alternate, compared
from harness import REANA_CONNECTION, Context, Jupyter, wait_for_job

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab_sandbox.reana.seed import demo_specification

#: Child that uploads with reana-client's own CLI code path, in-process; prints {"seconds", ...}.
REANA_CLIENT_CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    url, token, workflow, name = sys.argv[1:5]
    os.environ["REANA_SERVER_URL"] = url
    os.environ["REANA_ACCESS_TOKEN"] = token
    from reana_client.cli import cli
    start = time.perf_counter()
    try:
        cli.main(["upload", "-w", workflow, name], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    seconds = time.perf_counter() - start
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    print(json.dumps({"seconds": seconds, "max_rss_kb": int(status.split()[0])}))
    """
)


async def new_workflow(url: str, token: str) -> str:
    client = ReanaClient(url, token, timeout=120)
    try:
        created = await client.create_workflow("bench-upload", demo_specification("bench"))
        return created["workflow_id"]
    finally:
        await client.aclose()


def upload_workflow(context: Context) -> str:
    """A workflow that receives the uploads, made once per run."""
    if "reana-upload-workflow" not in context.shared:
        reana = context.reana
        workflow = asyncio.run(new_workflow(reana["url"], reana["token"]))
        context.shared["reana-upload-workflow"] = workflow
    return context.shared["reana-upload-workflow"]


def start_extension_upload(jupyter: Jupyter, workflow: str) -> str:
    reply = httpx.post(
        jupyter.api(f"/reana/connections/{REANA_CONNECTION}/workflows/{workflow}/workspace/upload"),
        json={"sources": [PAYLOAD]},
        headers=jupyter.headers,
        timeout=60,
    )
    reply.raise_for_status()
    return reply.json()["id"]


def finish_extension_upload(jupyter: Jupyter, job_id: str) -> None:
    job = wait_for_job(jupyter, job_id, interval=0.05)
    if job["state"] != "done":
        raise RuntimeError(f"the extension's workspace upload {job['state']}: {job.get('error')}")


def through_extension(jupyter: Jupyter, workflow: str) -> float:
    started = time.perf_counter()
    finish_extension_upload(jupyter, start_extension_upload(jupyter, workflow))
    return time.perf_counter() - started


def curl_command(context: Context, workflow: str, source: Path) -> list[str]:
    """curl streaming `source` (`-T`: read as sent, Content-Length known) as one workspace file."""
    reana = context.reana
    query = urlencode({"file_name": source.name, "access_token": reana["token"]})
    return [
        "curl",
        "-sSf",
        "-o",
        "/dev/null",
        "-X",
        "POST",
        "-T",
        str(source),
        "-H",
        "Content-Type: application/octet-stream",
        "-H",
        "Expect:",  # no 100-continue round trip: the extension and reana-client send at once
        f"{reana['url']}/api/workflows/{workflow}/workspace?{query}",
    ]


class Landing:
    """Each sample starts without the file in the workspace and must leave it there whole, so that
    a way that silently sent nothing cannot look fast."""

    def __init__(self, context: Context, workflow: str, source: Path) -> None:
        reana = context.reana
        self.base = f"{reana['url']}/api/workflows/{workflow}/workspace"
        self.params = {"access_token": reana["token"]}
        self.name, self.size = source.name, source.stat().st_size

    def clear(self) -> None:
        reply = httpx.delete(f"{self.base}/{self.name}", params=self.params, timeout=60)
        if reply.status_code not in (200, 404):
            reply.raise_for_status()

    def check(self, way: str) -> None:
        listing = httpx.get(self.base, params=self.params, timeout=60)
        listing.raise_for_status()
        sizes = [
            item["size"]["raw"]
            for item in listing.json()["items"]
            if item["name"].lstrip("/") == self.name
        ]
        if sizes != [self.size]:
            raise RuntimeError(f"{way} left {sizes} bytes in the workspace, not {self.size}")

    def around(self, way: str, upload: Callable[[], float]) -> Callable[[], float]:
        def sample() -> float:
            self.clear()
            seconds = upload()
            self.check(way)
            return seconds

        return sample


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def figures(context: Context) -> list[Figure]:
    rc_python = reana_client_python()
    jupyter, reana = context.jupyter, context.reana
    source = payload(context, jupyter)
    workflow = upload_workflow(context)

    def reana_client() -> float:
        # reana-client names an uploaded file by its path from the working folder: run it there
        args = [reana["url"], reana["token"], workflow, source.name]
        return run_child(rc_python, REANA_CLIENT_CHILD, args, cwd=source.parent)["seconds"]

    ways = {
        "extension": lambda: through_extension(jupyter, workflow),
        "reana-client": reana_client,
    }
    if shutil.which("curl"):
        command = curl_command(context, workflow, source)
        ways["curl"] = lambda: timed(command)
    landing = Landing(context, workflow, source)
    seconds = alternate(context.runs, {way: landing.around(way, f) for way, f in ways.items()})
    name = f"REANA workspace upload {context.upload_mib} MiB"
    figures = [compared(name, "s", seconds, "extension", "reana-client", goal=1.0)]
    if "curl" in seconds:
        figures.append(compared(name, "s", seconds, "extension", "curl", goal=LIMIT_GOAL))
    return figures


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "reana-upload", *sys.argv[1:]]))
