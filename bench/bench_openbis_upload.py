"""Upload one 1 GiB file as a new openBIS dataset through the extension and through pybis, side by side.

- pybis directly: `new_dataset(type="RAW_DATA", collection=..., files=[...]).save()`;
- the extension: `POST /reana-openbis-lab/openbis/uploads`, then `GET /jobs/<id>` until the job has
  finished (the time includes the checks before any byte moves, the slices, and the registration).

Both register a dataset in /BENCH/LOAD/MANY from the same file (random bytes, made once per run).
Figure: median seconds, extension/pybis (goal <= 1.0).
Run alone: `.venv/bin/python bench/bench_openbis_upload.py [--runs 3]`.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import httpx
from bench_openbis_download import pybis_client
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, Context, Jupyter, wait_for_job

UPLOAD_MIB = 1024
COLLECTION = "/BENCH/LOAD/MANY"
PAYLOAD = "bench-upload/payload.bin"


def payload(context: Context, jupyter: Jupyter) -> Path:
    """The upload source inside this server's root: one file of random bytes, written once per run."""
    source = context.workdir / "upload-payload.bin"
    if not source.exists():
        with source.open("wb") as out:
            for _ in range(UPLOAD_MIB):
                out.write(os.urandom(1 << 20))
    target = jupyter.root / PAYLOAD
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return target


def through_extension(jupyter: Jupyter) -> float:
    started = time.perf_counter()
    reply = httpx.post(
        jupyter.api("/openbis/uploads"),
        json={
            "connection": OPENBIS_CONNECTION,
            "paths": [PAYLOAD],
            "datasetType": "RAW_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
        },
        headers=jupyter.headers,
        timeout=60,
    )
    reply.raise_for_status()
    job = wait_for_job(jupyter, reply.json()["id"], interval=0.05)
    elapsed = time.perf_counter() - started
    if job["state"] != "done":
        raise RuntimeError(f"the extension's upload {job['state']}: {job.get('error')}")
    return elapsed


def figures(context: Context) -> list[Figure]:
    jupyter = context.jupyter
    source = payload(context, jupyter)
    client = pybis_client(context.openbis)

    def through_pybis() -> float:
        started = time.perf_counter()
        client.new_dataset(type="RAW_DATA", collection=COLLECTION, files=[str(source)]).save()
        return time.perf_counter() - started

    try:
        samples = alternate(
            context.runs,
            {"extension": lambda: through_extension(jupyter), "pybis": through_pybis},
        )
    finally:
        client.logout()
    name = f"openBIS upload {UPLOAD_MIB} MiB, one file"
    return [compared(name, "s", samples, "extension", "pybis", goal=1.0)]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "openbis-upload", *sys.argv[1:]]))
