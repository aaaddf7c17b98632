"""Download the openBIS sandbox's biggest dataset through the extension and through pybis, side by side.

The sandbox's big dataset (120 MB, one file), fetched alternately by:

- pybis directly: `get_dataset(permId).download(...)` (pybis' fast download, 4 streams);
- the extension: `POST /reana-openbis-lab/openbis/downloads`, then `GET /jobs/<id>` until the job
  has finished (so the time includes the REST round trips, the dataset lookup, staging, checksum
  and rename).

Figure: median seconds, extension/pybis (goal <= 1.0: the extension is at least as fast as pybis).
Run alone: `.venv/bin/python bench/bench_openbis_download.py [--runs 3]`.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pybis
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, Context, Jupyter, wait_for_job

DATASET_NAME = "Full sequencing run"


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
        scratch = context.workdir / "pybis-downloads"
        samples = alternate(
            context.runs,
            {
                "extension": lambda: through_extension(jupyter, perm_id, "bench-download"),
                "pybis": lambda: through_pybis(client, perm_id, scratch),
            },
        )
    finally:
        client.logout()
    return [
        compared(
            f"openBIS download {size / 1e6:.0f} MB, one file",
            "s",
            samples,
            "extension",
            "pybis",
            goal=1.0,
        )
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "openbis-download", *sys.argv[1:]]))
