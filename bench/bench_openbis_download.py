"""Download the openBIS sandbox's biggest dataset through the extension and through pybis, side by side.

The sandbox's big dataset (120 MB, one file), fetched alternately by:

- pybis directly: `get_dataset(permId).download(...)` (pybis' fast download, 4 streams);
- the extension: `POST /reana-openbis-lab/openbis/downloads`, then `GET /jobs/<id>` until the job
  has finished (so the time includes the REST round trips, the dataset lookup, staging, checksum
  and rename).

- curl (when installed): the file straight from the data store server to disk, the physical limit
  of this machine.

Figures: median seconds, extension/pybis (goal <= 1.0: at least as fast as pybis) and extension/curl
(goal <= 1.11: at least 0.9 x the throughput of a plain HTTP client).
Run alone: `.venv/bin/python bench/bench_openbis_download.py [--runs 3]`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pybis
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, Context, Jupyter, wait_for_job

DATASET_NAME = "Full sequencing run"
#: at least 0.9 x the throughput of a plain HTTP client: at most 1/0.9 x its time
LIMIT_GOAL = round(1 / 0.9, 2)


def pybis_client(openbis: dict[str, Any]) -> pybis.Openbis:
    client = pybis.Openbis(
        openbis["url"],
        verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    client.login("alice", openbis["users"]["alice"], save_token=False)
    return client


def biggest_dataset(client: pybis.Openbis) -> tuple[str, int]:
    """permId and size in bytes of the sandbox's big one-file dataset."""
    frame = client.get_datasets(count=500, props=["$NAME"]).df
    perm_id = frame.loc[frame["$NAME"] == DATASET_NAME, "permId"].iloc[0]
    size = int(client.get_dataset(perm_id).get_dataset_files().df["fileLength"].max())
    return perm_id, size


def file_url(client: Any, perm_id: str) -> str:
    """The data store URL of the dataset's biggest file, with the session, as pybis builds it."""
    dataset = client.get_dataset(perm_id)
    listing = dataset.get_dataset_files().df
    # Folders list the sum of their files: the biggest file is the deepest path of the biggest size.
    _, path = max(
        zip(listing["fileLength"], listing["path"], strict=True), key=lambda f: (f[0], len(f[1]))
    )
    url = f"{dataset._get_download_url()}/datastore_server/{perm_id}/{path}"
    return f"{quote(url, safe=':/')}?sessionID={client.token}"


def through_curl(url: str, target: Path) -> float:
    """The physical limit of this machine: a plain HTTP client writing the file to disk."""
    started = time.perf_counter()
    subprocess.run(["curl", "-sSf", "-o", str(target), url], check=True)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def through_pybis(client: pybis.Openbis, perm_id: str, target: Path) -> float:
    started = time.perf_counter()
    client.get_dataset(perm_id).download(destination=str(target), create_default_folders=False)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target)
    return elapsed


def start_download(jupyter: Jupyter, perm_id: str, destination: str) -> str:
    (jupyter.root / destination).mkdir(parents=True, exist_ok=True)
    reply = httpx.post(
        jupyter.api("/openbis/downloads"),
        json={"connection": OPENBIS_CONNECTION, "permId": perm_id, "destination": destination},
        headers=jupyter.headers,
        timeout=60,
    )
    reply.raise_for_status()
    return reply.json()["id"]


def clean_up(jupyter: Jupyter, job: dict[str, Any], destination: str) -> None:
    """Remove what the download wrote, and fail the benchmark if the download failed."""
    shutil.rmtree(jupyter.root / destination)
    if job["state"] != "done":
        raise RuntimeError(f"the extension's download {job['state']}: {job.get('error')}")


def through_extension(jupyter: Jupyter, perm_id: str, destination: str) -> float:
    started = time.perf_counter()
    job = wait_for_job(jupyter, start_download(jupyter, perm_id, destination))
    elapsed = time.perf_counter() - started
    clean_up(jupyter, job, destination)
    return elapsed


def figures(context: Context) -> list[Figure]:
    jupyter = context.jupyter
    client = pybis_client(context.openbis)
    try:
        perm_id, size = biggest_dataset(client)
        url = file_url(client, perm_id)
        scratch = context.workdir / "pybis-downloads"
        ways = {
            "extension": lambda: through_extension(jupyter, perm_id, "bench-download"),
            "pybis": lambda: through_pybis(client, perm_id, scratch),
        }
        if shutil.which("curl"):
            ways["curl"] = lambda: through_curl(url, context.workdir / "curl-download")
        samples = alternate(context.runs, ways)
    finally:
        client.logout()
    name = f"openBIS download {size / 1e6:.0f} MB, one file"
    figures = [compared(name, "s", samples, "extension", "pybis", goal=1.0)]
    if "curl" in samples:
        figures.append(compared(name, "s", samples, "extension", "curl", goal=LIMIT_GOAL))
    return figures


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "openbis-download", *sys.argv[1:]]))
