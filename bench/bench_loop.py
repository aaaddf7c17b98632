"""The provenance loop's two streams against their legs measured alone, and the server's memory.

One dataset of `--upload-mib` MiB (1 GiB by default) is uploaded to the openBIS sandbox once.
Each run then measures, alternately:

- openBIS -> REANA: a run started with that dataset as its openBIS input; the time of the
  job's staging step (from the first "staging" step to "record"), against its legs alone:
  the data store's file read by curl into /dev/null, and the same bytes sent by curl as a
  workspace upload (REANA's answer waits for its relay, as the real server's does);
- REANA -> openBIS: that run published with the file; the time of the publish job's
  upload steps (to "registering"), against its legs alone: the workspace file read by curl,
  and the same bytes sent by curl to the data store's session workspace in one request.

Figures: median seconds of each stream against the slower of its two legs (goal: throughput
>= 0.9 x the slower leg, i.e. time ratio <= 1.11), and the Jupyter server's RSS growth over
each stream (goal <= 64 MiB), read every 20 ms as bench_memory does.
Run alone: `.venv/bin/python bench/bench_loop.py [--runs 3] [--upload-mib 1024]`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from bench_memory import PeakWatcher, rss_mib
from bench_openbis_download import pybis_client
from bench_openbis_upload import PAYLOAD, payload, upload_through_extension
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, REANA_CONNECTION, Context, Jupyter

LIMIT_GOAL = round(1 / 0.9, 2)
RSS_GOAL_MIB = 64.0
SPEC = """version: 0.9.0
workflow:
  type: serial
  specification:
    steps:
      - name: noop
        environment: docker.io/library/python:3.11-slim
        commands:
          - "true"
"""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def curl(url: str, upload: Path | None = None) -> float:
    """Seconds for curl to read `url` into /dev/null, or to POST `upload` to it as a raw body."""
    command = ["curl", "-sS", "-f", "-o", "/dev/null"]
    if upload is not None:
        # "Expect:" off: curl would wait up to a second for a "100 Continue" before sending
        command += ["-H", "Content-Type: application/octet-stream", "-H", "Expect:"]
        command += ["-X", "POST", "-T", str(upload)]  # streamed from the file, not read whole
    return timed([*command, url])


#: How often the job is looked at while a stream runs. The UI asks every 2 s; asking every
#: 20 ms cost the server a quarter of the relay's CPU (profiled), which the legs alone never
#: pay. At 0.1 s each end of the window is seen at most 0.1 s late (1 GiB takes >= 7 s).
POLL_SECONDS = 0.1


def watch_steps(jupyter: Jupyter, job_id: str, first: str) -> tuple[float, dict[str, Any]]:
    """Seconds from the first step starting with `first` to the first step after it that does
    not (or the job's end, if that comes first); and the finished job."""
    began = ended = None
    with httpx.Client(headers=jupyter.headers, timeout=120) as client:
        while True:
            job = client.get(jupyter.api(f"/jobs/{job_id}")).json()
            step = job.get("step") or ""
            now = time.perf_counter()
            if began is None and step.startswith(first):
                began = now
            elif began is not None and ended is None and not step.startswith(first):
                ended = now
            if job["state"] in ("done", "failed", "cancelled"):
                if job["state"] != "done":
                    raise RuntimeError(f"the job {job['state']}: {job.get('error')}")
                if began is None:
                    raise RuntimeError(f"the job never showed a step {first!r}")
                return (ended or now) - began, job
            time.sleep(POLL_SECONDS)


class Loop:
    """The shared state of one benchmark: the big dataset, the spec, the runs made."""

    def __init__(self, context: Context) -> None:
        self.context, self.jupyter = context, context.jupyter
        payload(context, self.jupyter)
        self.perm_id = upload_through_extension(self.jupyter)
        self.size = context.upload_mib * 1024 * 1024
        openbis = pybis_client(context.openbis)
        dataset = openbis.get_dataset(self.perm_id)
        self.remote = f"original/{Path(PAYLOAD).name}"
        self.dss_file = (
            f"{dataset._get_download_url().rstrip('/')}/datastore_server/{quote(self.perm_id)}/"
            f"{quote(self.remote)}?sessionID={openbis.token}"
        )
        self.dss_upload = (
            f"{openbis._get_dss_url().rstrip('/')}/datastore_server/session_workspace_file_upload"
        )
        self.token = openbis.token
        spec = self.jupyter.root / "loop-bench" / "reana.yaml"
        spec.parent.mkdir(exist_ok=True)
        spec.write_text(SPEC)
        self.workflows: list[str] = []
        self.rss: dict[str, list[float]] = {"openbis-to-reana": [], "reana-to-openbis": []}

    @property
    def reana(self) -> dict[str, Any]:
        return self.context.reana

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = httpx.post(
            self.jupyter.api(path), json=body, headers=self.jupyter.headers, timeout=120
        )
        reply.raise_for_status()
        return reply.json()

    # ---- openBIS -> REANA ----------------------------------------------------------------

    def stream_in(self) -> float:
        job = self._post(
            "/reana/run",
            {
                "connection": REANA_CONNECTION,
                "path": "loop-bench/reana.yaml",
                "name": "loopbench",
                "openbisInputs": [
                    {"connection": OPENBIS_CONNECTION, "permId": self.perm_id, "folder": "data"}
                ],
            },
        )
        baseline = rss_mib(self.jupyter.process.pid)
        with PeakWatcher(self.jupyter.process.pid) as watcher:
            seconds, done = watch_steps(self.jupyter, job["id"], "staging")
        self.rss["openbis-to-reana"].append(watcher.peak - baseline)
        self.workflows.append(done["result"]["workflowId"])
        return seconds

    def openbis_alone(self) -> float:
        return curl(self.dss_file)

    def reana_upload_alone(self) -> float:
        workflow = self.workflows[0]
        url = (
            f"{self.reana['url']}/api/workflows/{workflow}/workspace?"
            f"file_name=alone-{uuid.uuid4().hex}.bin&access_token={self.reana['token']}"
        )
        return curl(url, self.jupyter.root / PAYLOAD)

    # ---- REANA -> openBIS ----------------------------------------------------------------

    def wait_finished(self, workflow: str) -> None:
        while True:
            detail = httpx.get(
                self.jupyter.api(f"/reana/connections/{REANA_CONNECTION}/workflows/{workflow}"),
                headers=self.jupyter.headers,
                timeout=60,
            ).json()
            if detail["status"] in ("finished", "failed", "stopped"):
                return
            time.sleep(0.2)

    def stream_out(self) -> float:
        workflow = self.workflows[-1]
        self.wait_finished(workflow)
        job = self._post(
            f"/reana/connections/{REANA_CONNECTION}/workflows/{workflow}/publish",
            {
                "openbisConnection": OPENBIS_CONNECTION,
                "paths": [f"data/{Path(PAYLOAD).name}"],
                "datasetType": "RAW_DATA",
                "target": {"kind": "collection", "id": "/BENCH/LOAD/MANY"},
            },
        )
        baseline = rss_mib(self.jupyter.process.pid)
        with PeakWatcher(self.jupyter.process.pid) as watcher:
            seconds, _ = watch_steps(self.jupyter, job["id"], "uploading")
        self.rss["reana-to-openbis"].append(watcher.peak - baseline)
        return seconds

    def reana_download_alone(self) -> float:
        workflow = self.workflows[-1]
        url = (
            f"{self.reana['url']}/api/workflows/{workflow}/workspace/data/{Path(PAYLOAD).name}"
            f"?access_token={self.reana['token']}"
        )
        return curl(url)

    def openbis_upload_alone(self) -> float:
        source = self.jupyter.root / PAYLOAD
        query = (
            f"filename={uuid.uuid4()}/alone.bin&id=1&startByte=0&endByte={self.size}"
            f"&emptyFolder=False&sessionID={self.token}"
        )
        return curl(f"{self.dss_upload}?{query}", source)


def figures(context: Context) -> list[Figure]:
    if not shutil.which("curl"):
        raise SystemExit("bench_loop needs curl for the legs measured alone")
    loop = Loop(context)
    loop.stream_in()  # a first run: the workflow the REANA legs use, and a warm worker
    inbound = alternate(
        context.runs,
        {
            "stream": loop.stream_in,
            "openBIS read": loop.openbis_alone,
            "REANA upload": loop.reana_upload_alone,
        },
    )
    outbound = alternate(
        context.runs,
        {
            "stream": loop.stream_out,
            "REANA read": loop.reana_download_alone,
            "openBIS upload": loop.openbis_upload_alone,
        },
    )
    mib = context.upload_mib
    found = []
    for name, samples, legs in (
        (f"openBIS -> REANA stream {mib} MiB", inbound, ("openBIS read", "REANA upload")),
        (f"REANA -> openBIS stream {mib} MiB", outbound, ("REANA read", "openBIS upload")),
    ):
        slower = max(legs, key=lambda leg: statistics.median(samples[leg]))
        found.append(
            compared(
                name,
                "s",
                samples,
                "stream",
                slower,
                goal=LIMIT_GOAL,
                note="reference: the slower leg alone (curl); goal: >= 0.9 x its throughput",
            )
        )
    for direction, growth in loop.rss.items():
        found.append(
            Figure(
                name=f"server RSS growth over a {mib} MiB {direction} stream",
                unit="MiB",
                measured=max(growth),
                goal=RSS_GOAL_MIB,
                samples={"growth": growth},
                note="peak over the stream minus the RSS before it (highest of the runs)",
            )
        )
    return found


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "loop", *sys.argv[1:]]))
