"""Upload one big file (1 GiB unless `--upload-mib`) as a new openBIS dataset: through the
extension, through pybis, and raw (the machine's limit), side by side.

- extension: `POST /reana-openbis-lab/openbis/uploads`, then `GET /jobs/<id>` until the job has
  finished (the time includes the checks before any byte moves, the slices, and the registration);
- pybis directly: `new_dataset(type="RAW_DATA", collection=..., files=[...]).save()`;
- raw: bench/raw_upload.py in its own process, the same slices and streams as the extension sent
  with `sendfile`, then one JSON-RPC `createUploadedDataSet` (the least an upload can cost here).

All three register a dataset in /BENCH/LOAD/MANY from the same file (random bytes, made once per
run); after each sample, outside the timing, the new dataset is checked to hold the file whole and
its bytes are removed from the sandbox's disk.
Figures: median seconds, extension/pybis (goal <= 1.0) and extension/raw (goal <= 1.11: at least
0.9 x the limit's throughput).
Run alone: `.venv/bin/python bench/bench_openbis_upload.py [--runs 3] [--upload-mib 1024]`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from bench_openbis_download import LIMIT_GOAL, pybis_client
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, Context, Jupyter, wait_for_job

COLLECTION = "/BENCH/LOAD/MANY"
PAYLOAD = "bench-upload/payload.bin"
RAW_UPLOAD = Path(__file__).with_name("raw_upload.py")


def payload(context: Context, jupyter: Jupyter) -> Path:
    """The upload source inside this server's root: one file of random bytes, written once per run."""
    source = context.workdir / "upload-payload.bin"
    if not source.exists():
        with source.open("wb") as out:
            for _ in range(context.upload_mib):
                out.write(os.urandom(1 << 20))
    target = jupyter.root / PAYLOAD
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return target


def upload_through_extension(jupyter: Jupyter) -> str:
    """Upload PAYLOAD through the extension; the new dataset's permId."""
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
    if job["state"] != "done":
        raise RuntimeError(f"the extension's upload {job['state']}: {job.get('error')}")
    return job["result"]["permId"]


def ready_children(commands: list[list[str]], what: str) -> list[subprocess.Popen[str]]:
    """Start the children and wait until each said `ready`; if one does not, end them all
    (each also ends by itself when its standard input closes before `go`)."""
    children = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for command in commands
    ]
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            for each in children:
                each.kill()
                each.wait()
            raise RuntimeError(f"a {what} process did not log in")
    return children


def release_children(children: list[subprocess.Popen[str]], what: str) -> list[str]:
    """Say `go` to every child started by `ready_children`, wait for all; what each printed."""
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = []
    for child in children:
        out, _ = child.communicate(timeout=900)
        if child.returncode != 0:
            raise RuntimeError(f"a {what} failed with code {child.returncode}")
        outputs.append(out)
    return outputs


class RawUploads:
    """bench/raw_upload.py children, logged in before `go` starts their clocks."""

    def __init__(self, openbis: dict[str, Any], source: Path, count: int = 1) -> None:
        self.openbis, self.source, self.count = openbis, source, count

    def start(self) -> list[subprocess.Popen[str]]:
        command = [
            sys.executable,
            str(RAW_UPLOAD),
            self.openbis["url"],
            self.openbis["users"]["alice"],
            str(self.source),
            COLLECTION,
        ]
        return ready_children([command] * self.count, "raw upload")

    @staticmethod
    def go(children: list[subprocess.Popen[str]]) -> list[dict[str, Any]]:
        """Start every child's upload, wait for all; their reports ({"seconds", "permId"})."""
        outputs = release_children(children, "raw upload")
        return [json.loads(out.strip().splitlines()[-1]) for out in outputs]


def free_disk(openbis: dict[str, Any], perm_ids: list[str], source: Path) -> None:
    """Check that each dataset a sample registered holds `source` whole, then remove its bytes
    (the sandbox deletes no datasets; the datasets stay listed), so that a way that sent less
    cannot look fast and a run of 1 GiB uploads does not fill the disk."""
    for perm_id in perm_ids:
        stored = Path(openbis["files"]) / perm_id
        files = [f for f in stored.rglob("*") if f.is_file()]
        landed = [(f.name, f.stat().st_size) for f in files]
        shutil.rmtree(stored, ignore_errors=True)
        if landed != [(source.name, source.stat().st_size)]:
            raise RuntimeError(f"dataset {perm_id} holds {landed}, not {source.name} whole")


def figures(context: Context) -> list[Figure]:
    jupyter = context.jupyter
    source = payload(context, jupyter)
    client = pybis_client(context.openbis)
    raw = RawUploads(context.openbis, source)

    def through_extension() -> float:
        started = time.perf_counter()
        perm_id = upload_through_extension(jupyter)
        elapsed = time.perf_counter() - started
        free_disk(context.openbis, [perm_id], source)
        return elapsed

    def through_pybis() -> float:
        started = time.perf_counter()
        dataset = client.new_dataset(type="RAW_DATA", collection=COLLECTION, files=[str(source)])
        dataset.save()
        elapsed = time.perf_counter() - started
        free_disk(context.openbis, [dataset.permId], source)
        return elapsed

    def through_raw() -> float:
        (report,) = raw.go(raw.start())
        free_disk(context.openbis, [report["permId"]], source)
        return report["seconds"]

    try:
        samples = alternate(
            context.runs,
            {"extension": through_extension, "pybis": through_pybis, "raw POST": through_raw},
        )
    finally:
        client.logout()
    name = f"openBIS upload {context.upload_mib} MiB, one file"
    return [
        compared(name, "s", samples, "extension", "pybis", goal=1.0),
        compared(name, "s", samples, "extension", "raw POST", goal=LIMIT_GOAL),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "openbis-upload", *sys.argv[1:]]))
